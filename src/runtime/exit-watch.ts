/**
 * Waiting for an attempt's exit without polling hard: the shim writes
 * exit.json by rename, which fs.watch reports at once; a slow 1 s check
 * covers a shim that died without writing it (then the exit is unknown).
 */
import { watch, type FSWatcher } from 'node:fs';
import type { ExitStatus, ProcessIdentity } from './adapter.js';
import { readChildRecord, readExitRecord, type AttemptPaths } from './attempt-dir.js';
import { checkIdentity, readProcStat } from './proc.js';

const FALLBACK_MS = 1000;

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
    let timer: NodeJS.Timeout | undefined;
    const finish = (value: ExitStatus | undefined): void => {
      if (settled) return;
      settled = true;
      watcher?.close();
      clearInterval(timer);
      for (const s of signals) s.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const tryRead = async (): Promise<void> => {
      const exit = await readExitRecord(paths, identity);
      if (exit) finish(exit);
    };
    const checkVanished = async (): Promise<void> => {
      await tryRead();
      if (settled || !(await isGone(paths, identity))) return;
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
    timer = setInterval(() => void checkVanished(), FALLBACK_MS);
    opts.shimExited?.then(
      async () => finish(await readExitRecord(paths, identity)),
      () => undefined,
    );
    void checkVanished();
  });
}

/** The child is dead and so is its shim, so no exit record can still appear. */
async function isGone(paths: AttemptPaths, identity: ProcessIdentity): Promise<boolean> {
  const check = await checkIdentity(identity);
  if (check.state === 'alive') return false;
  if (check.state === 'reused') return true;
  return !(await isShimAlive(paths));
}

/** Is the shim of this attempt still running? It started just before its child, never after. */
export async function isShimAlive(paths: AttemptPaths): Promise<boolean> {
  const child = await readChildRecord(paths);
  if (!child) return false;
  const shim = await readProcStat(child.shimPid);
  if (!shim || shim.state === 'Z') return false;
  return BigInt(shim.startTime) <= BigInt(child.startTime || '0') || child.startTime === '';
}
