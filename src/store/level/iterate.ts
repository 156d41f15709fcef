/**
 * Bulk reads with `iterator.nextv(n)` and a large `highWaterMarkBytes`:
 * about twice as fast here as `for await` over the same range, because
 * entries cross from C++ in big slices instead of one by one.
 */
import type { LevelDb } from './backend.js';

/** Enough for a page of ~1,000 typical envelopes in one crossing. */
const HIGH_WATER_MARK_BYTES = 4 * 1024 * 1024;
const MAX_SLICE = 1000;

interface Range {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  reverse?: boolean;
  limit?: number;
}

/** Every entry of a range (bounded by `limit`) as [key, value] pairs. */
export async function readRange(db: LevelDb, range: Range): Promise<[string, string][]> {
  const limit = range.limit ?? Infinity;
  // LevelDB takes the limit as a 32-bit int; -1 means none.
  const it = db.iterator({ ...range, limit: limit > 0x7fffffff ? -1 : limit, highWaterMarkBytes: HIGH_WATER_MARK_BYTES });
  try {
    const out: [string, string][] = [];
    while (out.length < limit) {
      const slice = await it.nextv(Math.min(MAX_SLICE, limit - out.length));
      if (slice.length === 0) break;
      for (const entry of slice) out.push(entry);
    }
    return out;
  } finally {
    await it.close();
  }
}

/** Pages of `pageSize` entries; the iterator is closed when the consumer stops early. */
export async function* scanRange(db: LevelDb, range: Range, pageSize: number): AsyncGenerator<[string, string][]> {
  const it = db.iterator({ ...range, highWaterMarkBytes: Math.max(HIGH_WATER_MARK_BYTES, pageSize * 1024) });
  try {
    let page: [string, string][] = [];
    for (;;) {
      const slice = await it.nextv(pageSize - page.length);
      if (slice.length === 0) break;
      page = page.length === 0 ? slice : page.concat(slice);
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  } finally {
    await it.close();
  }
}

/**
 * Visit entries of a range in order until `visit` returns false or the range
 * ends; `want()` bounds each slice (callers pass how many entries they can
 * still use at most), so a short walk does not read ahead.
 */
export async function walkRange(
  db: LevelDb,
  range: Range,
  want: () => number,
  visit: (key: string, value: string) => boolean,
): Promise<void> {
  const it = db.iterator({ ...range, highWaterMarkBytes: HIGH_WATER_MARK_BYTES });
  try {
    for (;;) {
      const slice = await it.nextv(Math.max(1, Math.min(MAX_SLICE, want())));
      if (slice.length === 0) return;
      for (const [key, value] of slice) if (!visit(key, value)) return;
    }
  } finally {
    await it.close();
  }
}
