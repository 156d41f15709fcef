/**
 * Starting, finding, stopping and describing the daemon of a home. The CLI
 * imports this: nothing here loads LevelDB, RxJS or execa (the foreground
 * daemon is imported lazily).
 *
 * @example
 * const client = await ensureDaemon(home);        // connect, or start exactly one daemon
 * await stopDaemon(home, { stopRuns: true });     // children stopped first, then the daemon
 */
import { RunledgerError } from '../errors.js';
import type { DaemonStatus } from './api.js';
import { connectDaemon, type DaemonClient } from './client.js';
import { daemonPaths, ensureHome } from './home.js';
import { waitForPidExit } from './pid.js';
import { spawnDaemon, type SpawnOptions } from './spawn-daemon.js';
import { isStartLockHeld, releaseStartLock, tryAcquireStartLock } from './start-lock.js';
import { packageVersion } from './version.js';

export interface StartOptions extends SpawnOptions {
  /** Run the daemon in this process until it stops (`runledger daemon start --foreground`). */
  foreground?: boolean;
}

export interface StartedDaemon {
  client: DaemonClient;
  status: DaemonStatus;
}

/** Start a daemon for `home`; DAEMON_RUNNING if one already answers. With `foreground`, resolves when it stops. */
export async function startDaemon(home: string, options: StartOptions = {}): Promise<StartedDaemon | undefined> {
  if (await connectDaemon(home, envOf(options))) throw running(home, options);
  if (options.foreground) {
    const { runDaemonForeground } = await import('./foreground.js');
    await runDaemonForeground(home, envOf(options));
    return undefined;
  }
  const client = await withStartLock(home, options, async () => {
    if (await connectDaemon(home, envOf(options))) throw running(home, options);
    return spawnDaemon(home, options);
  });
  return { client, status: client.status };
}

/** A client for the home's daemon, starting one if none answers. Racing callers end up with one daemon. */
export async function ensureDaemon(home: string, options: SpawnOptions = {}): Promise<DaemonClient> {
  return (
    (await connectDaemon(home, envOf(options))) ??
    withStartLock(home, options, async () => (await connectDaemon(home, envOf(options))) ?? spawnDaemon(home, options))
  );
}

export interface StopResult {
  wasRunning: boolean;
  pid: number | null;
}

/** Ask the daemon to shut down (stopping its runs first with `stopRuns`) and wait until its process is gone. */
export async function stopDaemon(
  home: string,
  options: { stopRuns?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<StopResult> {
  const client = await connectDaemon(home, envOf(options));
  if (!client) return { wasRunning: false, pid: null };
  const pid = client.status.pid;
  await client.request('POST', '/v1/shutdown', { stopRuns: options.stopRuns ?? false });
  const timeoutMs = options.timeoutMs ?? (options.stopRuns ? 120_000 : 30_000);
  if (pid !== null && !(await waitForPidExit(pid, timeoutMs))) {
    throw new RunledgerError(
      'DAEMON_UNAVAILABLE',
      `the daemon (pid ${pid}) did not exit within ${timeoutMs} ms; see ${daemonPaths(home).log}`,
      { pid },
    );
  }
  return { wasRunning: true, pid };
}

/** `{ running, pid, socket, home, startedAt, version }`, from the daemon if one answers. */
export async function daemonStatus(home: string, options: { env?: NodeJS.ProcessEnv } = {}): Promise<DaemonStatus> {
  const client = await connectDaemon(home, envOf(options));
  if (client) return client.status;
  const paths = daemonPaths(home, options.env);
  return { running: false, pid: null, socket: paths.socket, home: paths.home, startedAt: null, version: packageVersion() };
}

/** Run `fn` holding the start lock; while another starter holds it, wait for its daemon instead. */
async function withStartLock(home: string, options: SpawnOptions, fn: () => Promise<DaemonClient>): Promise<DaemonClient> {
  const paths = daemonPaths(home, options.env);
  ensureHome(paths.home);
  const deadline = Date.now() + (options.timeoutMs ?? 20_000) + 5000;
  for (;;) {
    if (tryAcquireStartLock(paths.startLock)) {
      try {
        return await fn();
      } finally {
        releaseStartLock(paths.startLock);
      }
    }
    const client = await connectDaemon(home, envOf(options));
    if (client) return client;
    if (Date.now() > deadline && isStartLockHeld(paths.startLock)) {
      throw new RunledgerError(
        'DAEMON_UNAVAILABLE',
        `another process (lock ${paths.startLock}) is starting the daemon and it has not answered yet`,
        { lock: paths.startLock },
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

function running(home: string, options: { env?: NodeJS.ProcessEnv }): RunledgerError {
  return new RunledgerError('DAEMON_RUNNING', `a daemon is already running for ${daemonPaths(home, options.env).home}`, { home });
}

function envOf(options: { env?: NodeJS.ProcessEnv }): { env?: NodeJS.ProcessEnv } {
  return options.env ? { env: options.env } : {};
}

/** The daemon in this process until it stops (imported lazily: it loads LevelDB). */
export async function runDaemonForeground(home: string): Promise<void> {
  const { runDaemonForeground: run } = await import('./foreground.js');
  await run(home);
}
