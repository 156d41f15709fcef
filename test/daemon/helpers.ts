/**
 * Daemon test plumbing: fresh temp homes, daemons in-process or as real
 * processes, and cleanup of exactly what a test started, by pid.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { removeCgroupsOf } from '../support/cgroups.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectDaemon, type DaemonClient } from '../../src/daemon/client.js';
import { openDaemon, type RunningDaemon } from '../../src/daemon/foreground.js';
import { createLogger } from '../../src/daemon/logger.js';
import { isPidAlive, waitForPidExit } from '../../src/daemon/pid.js';
import type { RunView } from '../../src/projections/run-view.js';
import type { EventEnvelope } from '../../src/events/envelope.js';
import { openLedger } from '../../src/store/level-store.js';

export const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

/** Everything one test started; `cleanup` kills it by pid and removes the home. */
export class TestHome {
  readonly home = mkdtempSync(join(tmpdir(), 'rl-d-'));
  readonly daemonPids = new Set<number>();
  readonly groups = new Set<number>();
  readonly inProcess: RunningDaemon[] = [];
  readonly logLines: string[] = [];

  /** A daemon inside the test process (no signal handlers); its log goes to `logLines`. */
  async openInProcess(): Promise<{ daemon: RunningDaemon; client: DaemonClient }> {
    const daemon = await openDaemon(this.home, { handleSignals: false, log: createLogger((l) => this.logLines.push(l)) });
    this.inProcess.push(daemon);
    const client = await connectDaemon(this.home);
    if (!client) throw new Error('in-process daemon does not answer');
    return { daemon, client };
  }

  trackDaemon(client: DaemonClient): DaemonClient {
    if (client.status.pid !== null && client.status.pid !== process.pid) this.daemonPids.add(client.status.pid);
    return client;
  }

  /** Remember a run's process groups so cleanup can kill them even if no daemon survives. */
  trackRun(run: RunView): RunView {
    for (const a of run.attempts) if (a.pgid !== null) this.groups.add(a.pgid);
    return run;
  }

  async cleanup(): Promise<void> {
    if (process.env.RL_DUMP_LOG) {
      try {
        process.stderr.write(readFileSync(join(this.home, 'daemon.log'), 'utf8'));
      } catch {
        // no daemon process in this test
      }
    }
    for (const d of this.inProcess) await d.stop().catch(() => undefined);
    for (const pid of this.daemonPids) kill(pid, 'SIGKILL');
    for (const pid of this.daemonPids) await waitForPidExit(pid, 5000);
    for (const pgid of this.groups) kill(-pgid, 'SIGKILL');
    // Shims outlive their child long enough to write exit.json and drain logs; let them finish before removing the home.
    for (const pid of shimPidsOf(this.home)) {
      if (!(await waitForPidExit(pid, 5000))) kill(pid, 'SIGKILL');
    }
    removeCgroupsOf(this.home);
    rmSync(this.home, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
}

/** Shim pids recorded in the home's attempt dirs (child.json). */
function shimPidsOf(home: string): number[] {
  const pids: number[] = [];
  const runs = join(home, 'runs');
  for (const runId of safeReaddir(runs)) {
    for (const attempt of safeReaddir(join(runs, runId))) {
      try {
        const { shimPid } = JSON.parse(readFileSync(join(runs, runId, attempt, 'child.json'), 'utf8')) as { shimPid?: number };
        if (typeof shimPid === 'number') pids.push(shimPid);
      } catch {
        // no child.json: the spawn never got that far
      }
    }
  }
  return pids;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Daemon processes serving `home`, found by their command line (to count them, never to kill by name). */
export function daemonPidsOf(home: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.endsWith('daemon/entry.js')) && argv.includes(home) && isPidAlive(Number(name))) pids.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** The ledger's events, read directly (only while no daemon holds it). */
export async function readLedger(home: string): Promise<EventEnvelope[]> {
  const store = await openLedger({ dir: join(home, 'ledger') });
  try {
    return await store.readAll();
  } finally {
    await store.close();
  }
}

/** Poll `check` until it returns a value (not a clock threshold for the test: the vitest timeout bounds it). */
export async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, pollMs = 25): Promise<T> {
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export function sleepSpec(seconds = 300): { command: string; args: string[]; cwd: string } {
  return { command: 'sleep', args: [String(seconds)], cwd: tmpdir() };
}
