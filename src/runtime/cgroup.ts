/**
 * One attempt's cgroup: `<base>/<runId>-<attempt>`. The shim moves the child
 * in before exec (native/shim.c join_cgroup), so every descendant is a
 * member. Stop and cleanup write cgroup.kill (the kernel kills every member,
 * no race with forks); emptiness is `populated 0` in cgroup.events; the dir
 * is removed once empty.
 */
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export function attemptCgroup(base: string, runId: string, attempt: number): string {
  return join(base, `${runId}-${attempt}`);
}

/** Create it (an earlier, interrupted spawn of the same attempt may have). */
export async function createCgroup(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
}

/** Pids of the members; [] when the cgroup does not exist. */
export async function cgroupPids(path: string): Promise<number[]> {
  const text = await readFile(join(path, 'cgroup.procs'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map(Number);
}

/** SIGKILL to every member at once; false when the cgroup does not exist. */
export async function killCgroup(path: string): Promise<boolean> {
  try {
    await writeFile(join(path, 'cgroup.kill'), '1');
    return true;
  } catch {
    return false;
  }
}

/** Does any process live in it? */
export async function cgroupPopulated(path: string): Promise<boolean> {
  const text = await readFile(join(path, 'cgroup.events'), 'utf8').catch(() => '');
  return /^populated 1$/m.test(text);
}

/** Remove it if it is empty; a cgroup with members (or already gone) is left as it is. */
export async function removeCgroup(path: string): Promise<void> {
  await rmdir(path).catch(() => undefined);
}
