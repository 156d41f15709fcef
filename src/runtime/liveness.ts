/**
 * The safety net under exit notifications, for every watched process at
 * once. A shim normally announces an exit by renaming exit.json (fs.watch
 * sees it at once); the net is for a process that vanished without that.
 * Reading /proc/<pid>/stat for each of 1,000 runs every second cost the
 * daemon a steady share of a core, so one tick lists /proc once and wakes
 * only the watchers whose pid is missing from it. A pid that is present may
 * have been recycled, so every `fullEvery` ticks each watcher is woken anyway
 * to run its own identity check (pid reuse needs the pid to wrap, which
 * takes far longer than that).
 */
import { readdir } from 'node:fs/promises';

export interface LivenessMonitor {
  /** Call `check` when `pid` may be gone; returns the function that stops watching. */
  add(pid: number, check: () => void): () => void;
}

export interface LivenessOptions {
  periodMs: number;
  /** Every this many ticks, wake every watcher (recycled-pid check). */
  fullEvery: number;
  /** The pids that exist now (default: the numeric names in /proc). */
  listPids?: () => Promise<ReadonlySet<number>>;
  setInterval?: (fn: () => void, ms: number) => { unref?(): void };
  clearInterval?: (handle: unknown) => void;
}

/** A monitor whose timer exists only while something is watched. */
export function createLivenessMonitor(o: LivenessOptions): LivenessMonitor {
  const watchers = new Set<{ pid: number; check: () => void }>();
  const list = o.listPids ?? listProcPids;
  const every = o.setInterval ?? ((fn, ms) => setInterval(fn, ms));
  const clear = o.clearInterval ?? ((h) => clearInterval(h as NodeJS.Timeout));
  let timer: unknown;
  let ticks = 0;
  let busy = false;

  const tick = async (): Promise<void> => {
    if (busy) return; // a slow /proc listing is not stacked up behind itself
    busy = true;
    try {
      ticks++;
      const full = ticks % o.fullEvery === 0;
      const present = full ? undefined : await list().catch(() => undefined);
      // Copy: a check may remove its own watcher (or add one).
      for (const w of [...watchers]) if (!present || !present.has(w.pid)) w.check();
    } finally {
      busy = false;
    }
  };
  return {
    add(pid, check) {
      const entry = { pid, check };
      watchers.add(entry);
      timer ??= every(() => void tick(), o.periodMs);
      return () => {
        watchers.delete(entry);
        if (watchers.size === 0 && timer !== undefined) {
          clear(timer);
          timer = undefined;
        }
      };
    },
  };
}

/** Every pid in /proc: one getdents pass, however many processes we watch. */
async function listProcPids(): Promise<ReadonlySet<number>> {
  const names = await readdir('/proc');
  const pids = new Set<number>();
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.add(Number(name));
  }
  return pids;
}
