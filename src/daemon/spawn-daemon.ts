/**
 * Spawning the daemon process detached (its own session, output to
 * `<home>/daemon.log`) and waiting, bounded, until its socket answers. If
 * it dies first, the error carries the tail of its log; if it lost a race to
 * another daemon (exit 3), we connect to the winner instead.
 */
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunledgerError } from '../errors.js';
import { connectDaemon, type DaemonClient } from './client.js';
import { daemonPaths } from './home.js';

/** Must match entry.ts (not imported: that would load the daemon into the CLI). */
const EXIT_OWNED_ELSEWHERE = 3;
const POLL_MS = 20;

export interface SpawnOptions {
  /** How long to wait for the socket to answer (default 20 s: reconcile of many runs takes a while). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** The entry script (default: dist/daemon/entry.js of this package). */
  entry?: string;
  /** Node flags for the daemon process (default DAEMON_NODE_ARGS). */
  nodeArgs?: readonly string[];
}

/**
 * The daemon is long-lived and mostly waits, so it trades CPU for memory
 * (bench/daemon.mjs: ~105 MiB -> ~70 MiB with 100 runs). A small young
 * generation: V8's default lets new space grow to 3 x 16 MiB under the
 * bursts of many runs starting or stopping at once, and keeps it. Lite mode:
 * no optimizing compiler and lazier feedback vectors; CPU-bound work (folding
 * a long ledger tail at start-up) is roughly a third slower, which the live
 * snapshots keep short. Lite mode implies `--jitless`, which cannot run
 * WebAssembly, so V8 turned `--expose-wasm` off itself and printed "disabling
 * flag --expose_wasm due to conflicting flags" into daemon.log at every start;
 * `--no-expose-wasm` says it first (the daemon runs no wasm either way).
 */
export const DAEMON_NODE_ARGS: readonly string[] = ['--max-semi-space-size=1', '--lite-mode', '--no-expose-wasm'];

/**
 * glibc keeps freed memory for reuse unless told to give it back: with the
 * bursts of many runs starting and stopping, the daemon's RSS grew ~36 MiB
 * over 20 cycles of 100 runs, half of it retained free memory
 * (bench/daemon.mjs: 101 -> 80 MiB with these). glibc reads them at process
 * start; the daemon removes them from its environment right away so that
 * supervised children never inherit them. A user's own settings win.
 */
export const DAEMON_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_TRIM_THRESHOLD_: '65536', MALLOC_MMAP_THRESHOLD_: '65536' };
export const DAEMON_MALLOC_MARK = 'RUNLEDGER_DAEMON_MALLOC_ENV';

function daemonEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const added = Object.keys(DAEMON_MALLOC_ENV).filter((k) => base[k] === undefined);
  if (added.length === 0) return base;
  return { ...base, ...Object.fromEntries(added.map((k) => [k, DAEMON_MALLOC_ENV[k]])), [DAEMON_MALLOC_MARK]: added.join(',') };
}

/**
 * The compiled entry, dist/daemon/entry.js, found from this module's own place: dist/daemon/ (tsc output),
 * dist/cli-bundle/ (the CLI's bundle: one level below dist/ as well), or src/daemon/ when tests run the sources.
 */
export function entryScript(): string {
  const here = fileURLToPath(import.meta.url);
  if (/\.c?js$/.test(here)) return join(dirname(here), '..', 'daemon', 'entry.js');
  return join(dirname(here), '..', '..', 'dist', 'daemon', 'entry.js');
}

/** Spawn a daemon for `home` and return a client once it answers. The caller holds the start lock. */
export async function spawnDaemon(home: string, options: SpawnOptions = {}): Promise<DaemonClient> {
  // Loaded here, not at the top: every command that talks to a daemon imports this module, and
  // node:child_process (with dgram and the child-process stack) is only for the one that starts it.
  const { spawn } = await import('node:child_process');
  const paths = daemonPaths(home, options.env);
  const logOffset = sizeOf(paths.log);
  const fd = openSync(paths.log, 'a', 0o600);
  let exited: { code: number | null; signal: string | null } | undefined;
  try {
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? DAEMON_NODE_ARGS), options.entry ?? entryScript(), '--home', paths.home],
      {
        detached: true,
        stdio: ['ignore', fd, fd],
        cwd: paths.home,
        env: daemonEnv(options.env ?? process.env),
      },
    );
    child.on('exit', (code, signal) => (exited = { code, signal }));
    child.on('error', (err) => (exited = { code: null, signal: err.message }));
    child.unref();
  } finally {
    closeSync(fd);
  }
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const client = await connectDaemon(paths.home, options.env ? { env: options.env } : {});
    if (client) return client;
    if (exited && exited.code !== EXIT_OWNED_ELSEWHERE) {
      throw new RunledgerError(
        'DAEMON_UNAVAILABLE',
        `the daemon exited during start-up (${exited.signal ?? `exit ${exited.code}`}):\n${logTail(paths.log, logOffset)}`,
        {
          log: paths.log,
          ...exited,
        },
      );
    }
    // Exit 3: another daemon owns the home and is still starting; wait for it like for ours.
    if (Date.now() > deadline) {
      throw new RunledgerError(
        'DAEMON_UNAVAILABLE',
        `the daemon did not answer on ${paths.socket} in time; its log says:\n${logTail(paths.log, logOffset)}`,
        {
          log: paths.log,
          socket: paths.socket,
        },
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The last lines the daemon wrote since `offset`. */
export function logTail(path: string, offset = 0, lines = 20): string {
  try {
    const text = readFileSync(path).subarray(offset).toString('utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n') || '(the log is empty)';
  } catch {
    return '(no log)';
  }
}
