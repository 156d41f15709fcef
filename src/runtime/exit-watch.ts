/**
 * Waiting for an attempt's exit without polling hard: the shim writes
 * exit.json by rename, which fs.watch reports at once; a 1 s liveness net,
 * one /proc listing for all waits (see liveness.ts), covers a shim that died
 * without writing it (then the exit is unknown). While the child lives the
 * net costs no read of its own.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { ExitStatus, ProcessIdentity } from './adapter.js';
import { readChildRecord, readExitRecord, type AttemptPaths } from './attempt-dir.js';
import { checkIdentity, readProcStat } from './proc.js';
import { createLivenessMonitor } from './liveness.js';

const liveness = createLivenessMonitor({ periodMs: 1000, fullEvery: 30 });

export interface WaitExitOptions {
  /** Any of these aborting ends the wait with undefined. */
  signals?: ReadonlyArray<AbortSignal | undefined>;
  /** Resolves when the shim we spawned exited (only for our own spawns). */
  shimExited?: Promise<unknown> | undefined;
}

/** Resolve with the exit record, or undefined if the process vanished without one or the wait was aborted. */
export function watchExit(paths: AttemptPaths, identity: ProcessIdentity, opts: WaitExitOptions = {}): Promise<ExitStatus | undefined> {
  const signals = (opts.signals ?? []).filter((s): s is AbortSignal => s !== undefined);
  return new Promise((resolve) => {
    let settled = false;
    let watcher: FSWatcher | undefined;
    let removeTick: (() => void) | undefined;
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
    const checkVanished = async (): Promise<void> => {
      if (settled) return;
      const check = await checkIdentity(identity);
      // A live child has left no exit record yet: nothing to read.
      if (settled || check.state === 'alive') return;
      await tryRead();
      // Dead but its shim lives: the record may still come (a recycled pid means the child is long gone).
      if (settled || (check.state === 'gone' && (await isShimAlive(paths)))) return;
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
      async () => finish(await readExitRecord(paths, identity)),
      () => undefined,
    );
    void checkVanished();
  });
}

/** Is the shim of this attempt still running? It started just before its child, never after. */
export async function isShimAlive(paths: AttemptPaths): Promise<boolean> {
  const child = await readChildRecord(paths);
  if (!child) return false;
  const shim = await readProcStat(child.shimPid);
  if (!shim || shim.state === 'Z') return false;
  return BigInt(shim.startTime) <= BigInt(child.startTime || '0') || child.startTime === '';
}
