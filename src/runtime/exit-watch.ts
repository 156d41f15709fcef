/**
 * Waiting for an attempt's exit without polling hard: the shim writes
 * exit.json by rename, which fs.watch reports at once; a 1 s liveness net,
 * one /proc listing for all waits (see liveness.ts), covers a shim that died
 * without writing it (then the exit is unknown). The net watches both the
 * child's pid and the shim's: when either leaves /proc, one small read of the
 * child's /proc/<pid>/stat tells whether the shim is still its parent. A
 * shim that died first (kill -9, the OOM killer) does not end the wait; the
 * child is then watched directly until it ends.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { ExitStatus, ProcessIdentity, ShimLostReport, WaitExitHooks } from './adapter.js';
import { readChildRecord, readExitRecord, type AttemptPaths } from './attempt-dir.js';
import { checkIdentity, readProcStat } from './proc.js';
import { createLivenessMonitor } from './liveness.js';
import { detectShimLoss, exitFromShimStatus, shimLostExit, type ShimExit } from './shim-loss.js';

const liveness = createLivenessMonitor({ periodMs: 1000, fullEvery: 30 });

export interface WaitExitOptions extends WaitExitHooks {
  /** Any of these aborting ends the wait with undefined. */
  signals?: ReadonlyArray<AbortSignal | undefined>;
  /** Resolves when the shim we spawned exited (only for our own spawns). */
  shimExited?: Promise<ShimExit> | undefined;
}

/** Resolve with the exit record, or undefined if the process vanished without one or the wait was aborted. */
export function watchExit(paths: AttemptPaths, identity: ProcessIdentity, opts: WaitExitOptions = {}): Promise<ExitStatus | undefined> {
  const signals = (opts.signals ?? []).filter((s): s is AbortSignal => s !== undefined);
  return new Promise((resolve) => {
    let settled = false;
    let watcher: FSWatcher | undefined;
    let removeTick: (() => void) | undefined;
    let lost: ShimLostReport | undefined;
    // child.json may be missing (a disk full at spawn): the caller's record of the shim's pid comes first.
    const shimPid = opts.shimPid !== undefined ? Promise.resolve(opts.shimPid) : readChildRecord(paths).then((c) => c?.shimPid);
    const now = (): string => new Date().toISOString();
    const finish = (value: ExitStatus | undefined): void => {
      if (settled) return;
      settled = true;
      watcher?.close();
      removeTick?.();
      for (const s of signals) s.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const tryRead = async (): Promise<void> => {
      const exit = await readExitRecord(paths, identity);
      if (exit) finish(exit);
    };
    /** The child lives: is its shim still its parent? Reported once. */
    const checkShim = async (shimExit?: ShimExit): Promise<void> => {
      const pid = await shimPid;
      if (lost || pid === undefined) return;
      const report = await detectShimLoss(identity, pid, now(), shimExit);
      if (!report || lost || settled) return;
      lost = report;
      opts.onShimLost?.(report);
    };
    const checkVanished = async (): Promise<void> => {
      if (settled) return;
      const check = await checkIdentity(identity);
      // A live child has left no exit record yet: nothing to read, but its shim may be gone.
      if (settled) return;
      if (check.state === 'alive') return checkShim();
      await tryRead();
      // Its shim died before it: nobody could record its status.
      if (!settled && lost) return finish(shimLostExit(lost, now()));
      // Dead but its shim lives: the record may still come (a recycled pid means the child is long gone).
      if (settled || (check.state === 'gone' && (await isShimAlive(await shimPid, identity)))) return;
      // A shim we spawned reports its own end, with a status that may be all there is: its handler decides.
      if (opts.shimExited) return;
      // Read once more: the shim may have renamed exit.json just before it exited.
      finish(await readExitRecord(paths, identity));
    };
    const onAbort = (): void => finish(undefined);
    if (signals.some((s) => s.aborted)) return finish(undefined);
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
    // Watch before the first read so an exit landing in between is not missed.
    try {
      watcher = watch(paths.dir, (_event, name) => {
        if (name === null || name === 'exit.json') void tryRead();
      });
      watcher.on('error', () => undefined);
    } catch {
      watcher = undefined;
    }
    removeTick = liveness.add(identity.pid, () => void checkVanished());
    opts.shimExited?.then(
      async (shimExit) => {
        const exit = await readExitRecord(paths, identity);
        if (exit) return finish(exit);
        // The shim died before its child (killed): keep watching the child directly.
        if ((await checkIdentity(identity)).state === 'alive') return checkShim(shimExit);
        if (lost) return finish(shimLostExit(lost, now()));
        // The child ended first, but no record: the shim's own status mirrors the child's.
        finish(exitFromShimStatus(shimExit, await shimPid, now()));
      },
      () => undefined,
    );
    void checkVanished();
  });
}

/** Is the shim of this attempt still running? It started just before its child, never after. */
export async function isShimAlive(shimPid: number | undefined, child: ProcessIdentity): Promise<boolean> {
  if (shimPid === undefined) return false;
  const shim = await readProcStat(shimPid);
  if (!shim || shim.state === 'Z') return false;
  return BigInt(shim.startTime) <= BigInt(child.startTime || '0') || child.startTime === '';
}

/** isShimAlive for an attempt, from its child.json (false when there is none). */
export async function isAttemptShimAlive(paths: AttemptPaths): Promise<boolean> {
  const child = await readChildRecord(paths);
  return child
    ? isShimAlive(child.shimPid, { pid: child.pid, pgid: child.pgid, startTime: child.startTime, bootId: child.bootId ?? '' })
    : false;
}
