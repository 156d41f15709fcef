/**
 * The writer side of anchors: told about every durable head, it appends a
 * signed checkpoint to the checkpoint file every `everyEvents` events, within
 * `everyMs` of any unanchored append, and once more at close. Writes run one
 * at a time in the background and never delay or fail an append: an anchor
 * that could not be written is reported through `onError` and retried with
 * the next head.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { formatCheckpointLine } from './checkpoint-line.js';
import type { AnchorKey } from './signing.js';

export interface CheckpointerOptions {
  file: string;
  key: AnchorKey;
  /** Anchor after this many new events (default 1000). */
  everyEvents?: number;
  /** Anchor at most this long after an unanchored append (default 5000 ms). */
  everyMs?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

export interface Checkpointer {
  /** A head that is durable now (any order; the highest wins). */
  observe(head: { position: number; hash: string }): void;
  /** Write the highest head seen if it is not anchored yet, then stop. */
  close(finalHead?: { position: number; hash: string }): Promise<void>;
  /** Checkpoints written so far (tests, bench). */
  readonly written: number;
}

export const DEFAULT_EVERY_EVENTS = 1000;
export const DEFAULT_EVERY_MS = 5000;

export function createCheckpointer(options: CheckpointerOptions): Checkpointer {
  const everyEvents = options.everyEvents ?? DEFAULT_EVERY_EVENTS;
  const everyMs = options.everyMs ?? DEFAULT_EVERY_MS;
  if (!Number.isSafeInteger(everyEvents) || everyEvents < 1) throw new TypeError('everyEvents must be a positive integer');
  if (!Number.isFinite(everyMs) || everyMs < 1) throw new TypeError('everyMs must be a positive number');
  const now = options.now ?? Date.now;
  let latest = { position: 0, hash: '' };
  let anchored = 0;
  // Position when a write was last asked for: N more events ask again, even while that write is in flight.
  let requested = 0;
  let written = 0;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let handle: Promise<FileHandle> | undefined;

  const writeLatest = async (): Promise<void> => {
    const head = latest;
    if (head.position <= anchored) return;
    try {
      handle ??= open(options.file, 'a', 0o600);
      const fh = await handle;
      await fh.write(formatCheckpointLine({ ...head, time: new Date(now()).toISOString() }, options.key));
      // An anchor that a power cut can take back is no anchor; one fsync per checkpoint, not per append.
      await fh.datasync();
      anchored = head.position;
      written += 1;
    } catch (err) {
      handle = undefined;
      options.onError?.(err);
    }
  };
  const schedule = () => {
    requested = latest.position;
    clearTimeout(timer);
    timer = undefined;
    chain = chain.then(writeLatest);
  };

  return {
    observe(head) {
      if (head.position <= latest.position) return;
      latest = { position: head.position, hash: head.hash };
      if (latest.position - requested >= everyEvents) schedule();
      else if (!timer) (timer = setTimeout(schedule, everyMs)).unref();
    },
    async close(finalHead) {
      if (finalHead && finalHead.position > latest.position) latest = { ...finalHead };
      schedule();
      await chain;
      const fh = handle;
      handle = undefined;
      await (await fh?.catch(() => undefined))?.close();
    },
    get written() {
      return written;
    },
  };
}
