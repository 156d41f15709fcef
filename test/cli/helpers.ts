/**
 * Drive the built CLI (`node bin/runledger.cjs`) against a real daemon in a
 * fresh temporary home, and clean up by pid: the daemon from daemon.pid and
 * every process group a run ever had. Never by name.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { removeCgroupsOf } from '../support/cgroups.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
export { isAlive } from '../support/processes.js';
import { isAlive } from '../support/processes.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/runledger.cjs');
export const FIXTURES = join(ROOT, 'fixtures');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** One CLI invocation; resolves with its exit code and output (never rejects on a non-zero exit). */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      // `--` as in the bin's shebang: node 20 would otherwise take our `run --env-file PATH` as its own flag (exit 9).
      [...(options.nodeArgs ?? []), '--', BIN, ...args],
      {
        cwd: options.cwd ?? ROOT,
        env: { ...process.env, NO_COLOR: '1', ...options.env },
        timeout: options.timeoutMs ?? 30_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
        if (err && code === -1) reject(Object.assign(err, { stdout, stderr }));
        else resolvePromise({ code, stdout, stderr });
      },
    );
  });
}

export async function waitUntil(cond: () => boolean | Promise<boolean>, what: string, tries = 300, everyMs = 50): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The last line of an NDJSON answer (the whole text when it is one object). */
export function lastJsonLine(stdout: string): string {
  return stdout.trim().split('\n').at(-1) ?? '';
}

/** A temporary home with helpers bound to it. */
export class Home {
  readonly dir = mkdtempSync(join(tmpdir(), 'rl-cli-'));
  private readonly pgids = new Set<number>();
  private readonly shims = new Set<number>();

  cli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
    return runCli(['--home', this.dir, ...args], options);
  }

  /** Run a command expected to succeed and parse its --json output. */
  async json<T = any>(args: readonly string[], options: CliOptions = {}): Promise<T> {
    const r = await this.cli(['--json', ...args], options);
    if (r.code !== 0) throw new Error(`runledger ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    // `run --wait --json` is NDJSON: the child's output lines, then the result object.
    return JSON.parse(lastJsonLine(r.stdout)) as T;
  }

  /** Start a run and return its RunView (remembering its process group for cleanup). */
  async start(args: readonly string[], options: CliOptions = {}): Promise<any> {
    const { run } = await this.json<{ run: any }>(['run', ...args], options);
    this.track(run);
    return run;
  }

  track(run: { attempts: { pgid: number | null; shimPid?: number | null }[] }): void {
    for (const a of run.attempts) {
      if (a.pgid) this.pgids.add(a.pgid);
      // The shim is outside the child's group and writes the exit file after the child dies.
      if (a.shimPid) this.shims.add(a.shimPid);
    }
  }

  daemonPid(): number | null {
    const file = join(this.dir, 'daemon.pid');
    if (!existsSync(file)) return null;
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  /** The number of events in the ledger (verify's head) and whether the chain checks out. */
  async ledger(): Promise<{ ok: boolean; head: number }> {
    const v = await this.json<{ ok: boolean; head: { position: number } }>(['verify']);
    return { ok: v.ok, head: v.head.position };
  }

  /** Stop the daemon, kill what it left by pid and pgid, remove the home. */
  async cleanup(): Promise<void> {
    try {
      const r = await this.cli(['ps', '--all', '--json']);
      if (r.code === 0) for (const run of (JSON.parse(r.stdout) as { runs: any[] }).runs) this.track(run);
    } catch {
      /* the home may be broken on purpose */
    }
    const pid = this.daemonPid();
    await this.cli(['daemon', 'stop']).catch(() => undefined);
    if (pid !== null && isAlive(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const pgid of this.pgids) {
      for (const target of [-pgid, pgid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    // A shim writes its exit file after its child dies: wait for groups and shims to be gone before removing.
    const gone = () => [...this.pgids, ...this.shims].every((pid) => !isAlive(pid));
    await waitUntil(gone, 'killed runs and their shims to exit', 250, 20).catch(() => undefined);
    for (const shim of this.shims) {
      try {
        process.kill(shim, 'SIGKILL');
      } catch {
        /* exited on its own, as expected */
      }
    }
    removeCgroupsOf(this.dir);
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
}

/** A TCP port nobody listens on right now (for a fixture server's ready check). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolvePort(port));
    });
  });
}
