/**
 * What the background and tmux adapters share once a child is running:
 * both leave the same files in the attempt dir and identify the child the
 * same way, so signalling, inspecting, waiting and tailing are one code path.
 */
import type { Observable } from 'rxjs';
import type {
  ExitStatus,
  Observation,
  OutputLine,
  ProcessIdentity,
  RuntimeAdapter,
  SignalOutcome,
  SpawnedProcess,
  TrackingReport,
  WaitExitHooks,
} from './adapter.js';
import { readExitRecord, resolveAttemptPaths, readChildRecord, readRecordSpace } from './attempt-dir.js';
import { access } from 'node:fs/promises';
import { watchExit } from './exit-watch.js';
import { tailOutput } from './output-tail.js';
import { findPortOwner } from './port-owner.js';
import { probeTarget } from './probe.js';
import { runHealthProbe } from './health-probe.js';
import type { ShimExit } from './shim-loss.js';
import { checkIdentity, groupAlive } from './proc.js';
import { sendSignal } from './signal.js';
import { readTreeUsage } from './tree-usage.js';
import { listTreePids, releaseTree, signalTree, type TreeContext } from './tree.js';

type SharedOps = Omit<RuntimeAdapter, 'kind' | 'spawn' | 'attachCommand' | 'close'>;

export interface AttemptOpsOptions {
  stateDir: string;
  /** The shim's exit, for attempts this instance spawned (adopted ones have none). */
  shimExitOf(runId: string, attempt: number): Promise<ShimExit> | undefined;
  /** Aborted when the adapter closes, ending every pending wait. */
  closing: AbortSignal;
  /** How trees are tracked, and what the fallback's scans have seen. */
  tree: TreeContext;
}

/** Build the adapter methods that only need the attempt dir and the identity. */
export function createAttemptOps(opts: AttemptOpsOptions): SharedOps {
  const pathsOf = (runId: string, attempt: number) => resolveAttemptPaths(opts.stateDir, runId, attempt);
  return {
    signal(identity: ProcessIdentity, signal: string, target: 'group' | 'process'): Promise<SignalOutcome> {
      return sendSignal(identity, signal, target);
    },

    async inspect(runId: string, attempt: number, identity: ProcessIdentity): Promise<Observation> {
      const paths = pathsOf(runId, attempt);
      const check = await checkIdentity(identity);
      if (check.state === 'alive' && !(await exists(paths.dir))) {
        // Ours would have an attempt dir here (the spawner makes it before the shim runs): this is another home's process.
        const { pid, startTime, bootId } = check.observed;
        return { state: 'reused', observed: { pid, startTime, bootId }, notSpawnedHere: true };
      }
      if (check.state !== 'gone') return check;
      const exit = await readExitRecord(paths, identity);
      if (exit) return { state: 'gone', exit, observed: check.observed };
      const recordSpace = await readRecordSpace(paths);
      return recordSpace ? { state: 'gone', observed: check.observed, recordSpace } : { state: 'gone', observed: check.observed };
    },

    waitExit(
      runId: string,
      attempt: number,
      identity: ProcessIdentity,
      signal?: AbortSignal,
      hooks: WaitExitHooks = {},
    ): Promise<ExitStatus | undefined> {
      const paths = pathsOf(runId, attempt);
      return watchExit(paths, identity, { ...hooks, signals: [signal, opts.closing], shimExited: opts.shimExitOf(runId, attempt) });
    },

    groupAlive(pgid: number): Promise<boolean> {
      return groupAlive(pgid);
    },

    signalTree: (ref, signal) => signalTree(opts.tree, ref, signal),
    listTree: (ref) => listTreePids(opts.tree, ref),
    usage: (ref) => readTreeUsage(opts.tree, ref),
    releaseTree: (ref) => releaseTree(opts.tree, ref),
    tracking(): TrackingReport {
      const t = opts.tree.tracking;
      return { mode: t.mode, detail: t.mode === 'cgroup' ? t.base : t.reason };
    },

    output(runId: string, attempt: number): Observable<OutputLine> {
      return tailOutput(pathsOf(runId, attempt));
    },

    probe: (target) => probeTarget(target),

    portOwner: (port, host, owner) => findPortOwner(port, host, owner),

    healthProbe: (req) => runHealthProbe(req.check, req.cwd),

    async discover(runId: string, attempt: number): Promise<SpawnedProcess | undefined> {
      const paths = pathsOf(runId, attempt);
      const child = await readChildRecord(paths);
      if (!child?.bootId) return undefined;
      return {
        identity: { pid: child.pid, pgid: child.pgid, startTime: child.startTime, bootId: child.bootId },
        shimPid: child.shimPid,
        logs: { stdout: paths.relative('stdout.log'), stderr: paths.relative('stderr.log') },
      };
    },
  };
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
