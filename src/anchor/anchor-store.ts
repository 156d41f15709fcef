/**
 * Wire anchors into a writer (the daemon, an embedded Supervisor): load or
 * create the home's key, and wrap the store so it checkpoints.
 *
 * @example
 * const store = anchorStore(await openLedger({ dir }), home, { onError: (e) => log.warn(...) });
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventStore } from '../store/event-store.js';
import { createCheckpointer, type CheckpointerOptions } from './checkpointer.js';
import { withCheckpoints } from './checkpointing-store.js';
import { loadOrCreateKey } from './key-files.js';
import { anchorPaths } from './paths.js';

export interface AnchorOptions extends Pick<CheckpointerOptions, 'everyEvents' | 'everyMs' | 'onError'> {
  /** Checkpoint file; default $RUNLEDGER_CHECKPOINTS, else <home>/checkpoints.ndjson. */
  file?: string;
  env?: NodeJS.ProcessEnv;
}

export function anchorStore<S extends EventStore>(store: S, home: string, options: AnchorOptions = {}): S {
  const paths = anchorPaths(home, options.env, options.file);
  mkdirSync(dirname(paths.checkpoints), { recursive: true, mode: 0o700 });
  const checkpointer = createCheckpointer({
    file: paths.checkpoints,
    key: loadOrCreateKey(paths),
    ...(options.everyEvents === undefined ? {} : { everyEvents: options.everyEvents }),
    ...(options.everyMs === undefined ? {} : { everyMs: options.everyMs }),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return withCheckpoints(store, checkpointer);
}
