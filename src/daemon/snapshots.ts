/**
 * Live snapshots of the supervisor's projection, so a read-only CLI (no
 * daemon) starts from a recent fold instead of the whole log: every
 * `everyEvents` events or `everyMs`, whichever comes first, and once more on shutdown.
 */
import { DEFAULT_PROJECTION_NAME, writeRunsSnapshot } from '../projections/catch-up.js';
import type { EventStore } from '../store/event-store.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { Logger } from './logger.js';

export interface LiveSnapshots {
  /** Write a snapshot now if the state moved since the last one, and stop scheduling more. */
  finish(): Promise<void>;
}

export interface LiveSnapshotOptions {
  store: EventStore;
  supervisor: Supervisor;
  log: Logger;
  everyEvents?: number;
  everyMs?: number;
  /** Seal key (snapshot-key.ts); without one the seal is a plain SHA-256. */
  key?: Buffer;
}

export function startLiveSnapshots(opts: LiveSnapshotOptions): LiveSnapshots {
  const everyEvents = opts.everyEvents ?? 1000;
  let written = -1;
  let since = 0;
  let writing: Promise<void> = Promise.resolve();

  const write = (): Promise<void> => {
    // One write at a time; the state is serialized synchronously when the write starts, so it is consistent.
    writing = writing.then(async () => {
      const state = opts.supervisor.state;
      if (state.position === written) return;
      try {
        await writeRunsSnapshot(opts.store, DEFAULT_PROJECTION_NAME, state, opts.key);
        written = state.position;
      } catch (err) {
        opts.log.warn('snapshot write failed', { message: (err as Error).message });
      }
    });
    return writing;
  };

  const sub = opts.supervisor.events$.subscribe(() => {
    if (++since < everyEvents) return;
    since = 0;
    void write();
  });
  const timer = setInterval(() => void write(), opts.everyMs ?? 5000);
  timer.unref();

  return {
    async finish() {
      sub.unsubscribe();
      clearInterval(timer);
      await write();
    },
  };
}
