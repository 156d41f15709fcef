/** Shared plumbing for runtime tests: temp state dirs, fixture requests, cleanup by pid. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, lastValueFrom, filter, toArray, type Observable } from 'rxjs';
import { ulid } from 'ulid';
import type { OutputLine, ProcessIdentity, RuntimeAdapter, SpawnRequest, SpawnedProcess } from '../../src/runtime/adapter.js';
import { readProcStat } from '../../src/runtime/proc.js';
import { removeCgroupsOf } from '../support/cgroups.js';

export const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

export function makeStateDir(): string {
  // Short prefix: tmux and Unix sockets live here and socket paths are limited to ~108 bytes.
  return mkdtempSync(join(tmpdir(), 'rl-'));
}

export function removeDir(dir: string): void {
  removeCgroupsOf(dir);
  // Retries: a tmux log writer may still be finishing its last file when teardown starts.
  rmSync(dir, { recursive: true, force: true, maxRetries: 40, retryDelay: 50 });
}

export function request(overrides: Partial<SpawnRequest> & Pick<SpawnRequest, 'command'>): SpawnRequest {
  return {
    runId: ulid(),
    attempt: 1,
    args: [],
    shell: false,
    cwd: process.cwd(),
    env: {},
    logs: { maxBytes: 1_000_000, keep: 2 },
    ...overrides,
  };
}

/** A node fixture from fixtures/, run with this node binary. */
export function nodeRequest(name: string, args: string[] = [], overrides: Partial<SpawnRequest> = {}): SpawnRequest {
  return request({ command: process.execPath, args: [fixture(name), ...args], ...overrides });
}

/** Records what a test started so afterEach can kill exactly that, by pid. */
export class Started {
  readonly identities: ProcessIdentity[] = [];
  readonly pids: number[] = [];

  track(p: SpawnedProcess): SpawnedProcess {
    this.identities.push(p.identity);
    if (p.shimPid) this.pids.push(p.shimPid);
    return p;
  }

  private async anyAlive(): Promise<boolean> {
    const stats = await Promise.all(this.pids.map((pid) => readProcStat(pid)));
    return stats.some((s) => s !== undefined && s.state !== 'Z');
  }

  async killAll(runtime: RuntimeAdapter): Promise<void> {
    for (const id of this.identities) await runtime.signal(id, 'SIGKILL', 'group').catch(() => undefined);
    // Let shims reap their children and exit on their own; killing one first would orphan a zombie.
    for (let i = 0; i < 100 && (await this.anyAlive()); i++) await new Promise((r) => setTimeout(r, 20));
    for (const pid of this.pids) {
      const stat = await readProcStat(pid);
      if (stat && stat.state !== 'Z') {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}

export function collectLines(output: Observable<OutputLine>): Promise<OutputLine[]> {
  return lastValueFrom(output.pipe(toArray()));
}

export function waitForLine(output: Observable<OutputLine>, pattern: RegExp): Promise<OutputLine> {
  return firstValueFrom(output.pipe(filter((l) => pattern.test(l.line))));
}

/** The SigIgn/SigBlk masks of a process. */
export async function signalMasks(pid: number): Promise<{ ignored: string; blocked: string }> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const get = (key: string): string => new RegExp(`^${key}:\\s*(\\S+)`, 'm').exec(text)?.[1] ?? '';
  return { ignored: get('SigIgn'), blocked: get('SigBlk') };
}

/** Open descriptors of this test process (vitest runs each test file in its own fork). */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** `count` numbered lines, for checking that nothing is lost or read twice. */
export function numbered(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `line ${from + i}`);
}

/** Kill only our private server, through its socket, then let the pipe-pane log writers finish. */
export async function killServer(stateDir: string): Promise<void> {
  try {
    execFileSync('tmux', ['-S', join(stateDir, 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
  } catch {
    // no server was running (it exits by itself when its last session ends)
  }
  const runs = join(stateDir, 'runs');
  const attempts = existsSync(runs) ? readdirSync(runs).flatMap((r) => readdirSync(join(runs, r)).map((a) => join(runs, r, a))) : [];
  const writing = (): boolean => attempts.some((d) => existsSync(join(d, 'go')) && !existsSync(join(d, 'output.done')));
  for (let i = 0; i < 150 && writing(); i++) await new Promise((r) => setTimeout(r, 20));
}
