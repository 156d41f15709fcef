/** Is a pid alive, waiting for it to go, and the pid file, without LevelDB or /proc helpers from the runtime (CLI fast path). */
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * Alive and not a zombie: a daemon that exited but was not yet reaped by its
 * parent counts as gone. A zombie *leader* whose other threads are still
 * exiting still holds its files (socket, ledger lock): that counts as alive.
 */
export function isPidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the last ')' (the command name may itself contain parentheses).
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z') return true;
    return readdirSync(`/proc/${pid}/task`).length > 1;
  } catch {
    return false;
  }
}

/** Resolves true once the pid is gone, false if it is still alive after `timeoutMs`. */
export async function waitForPidExit(pid: number, timeoutMs: number, pollMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isPidAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return true;
}

/** The pid written in a file, or undefined when missing or garbled. */
export function readPidFile(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** This process's pid, written atomically, so a reader never sees a half-written pid. */
export function writePidFile(path: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${process.pid}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}
