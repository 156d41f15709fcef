/**
 * LedgerBackend in memory. It stores the same JSON strings the LevelDB
 * backend does, so decoding, upcasting and verify behave identically.
 */
import { GENESIS_HASH } from '../../events/envelope.js';
import type { Direction, LedgerBackend, RawRecord, StoredAppend } from '../backend.js';
import type { Head } from '../event-store.js';
import type { StreamIndexEntry } from '../keys.js';

export interface MemoryBackend extends LedgerBackend {
  /** The stored lines, index = position - 1 (tests tamper with these). */
  readonly lines: string[];
  /** Raw index and head edits below the core's rules, and a reopen after close (integrity tests only). */
  readonly tamper: {
    putId(id: string, position: number): void;
    putStreamEntry(streamId: string, entry: StreamIndexEntry): void;
    setHead(head: Head): void;
    reopen(): void;
  };
}

export function createMemoryBackend(): MemoryBackend {
  const lines: string[] = [];
  /** Per stream, its index entries (one per append call) in version order, as in the LevelDB layout. */
  const streams = new Map<string, StreamIndexEntry[]>();
  const ids = new Map<string, number>();
  const snapshots = new Map<string, string>();
  let head: Head = { position: 0, hash: GENESIS_HASH };
  let closed = false;
  const rawAt = (position: number): RawRecord | undefined => {
    const json = lines[position - 1];
    return json === undefined ? undefined : { position, json };
  };
  /** Index of the entry with the greatest first version <= version, or -1. */
  const entryIndexAtOrBefore = (entries: readonly StreamIndexEntry[], version: number): number => {
    let lo = 0;
    let hi = entries.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (entries[mid]!.firstVersion <= version) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const readLog = (from: number, direction: Direction, limit: number): RawRecord[] => {
    const out: RawRecord[] = [];
    const step = direction === 'forwards' ? 1 : -1;
    for (let p = from; p >= 1 && p <= lines.length && out.length < limit; p += step) out.push(rawAt(p)!);
    return out;
  };

  const tamper: MemoryBackend['tamper'] = {
    putId: (id, position) => void ids.set(id, position),
    putStreamEntry(streamId, entry) {
      const list = (streams.get(streamId) ?? []).filter((e) => e.firstVersion !== entry.firstVersion);
      list.push(entry);
      streams.set(
        streamId,
        list.sort((a, b) => a.firstVersion - b.firstVersion),
      );
    },
    setHead: (next) => void (head = next),
    reopen: () => void (closed = false),
  };

  return {
    lines,
    tamper,
    loadHead: async () => ({ head }),
    findIds: async (list) => list.map((id) => ids.get(id)),
    findStreamVersion: async (streamId) => {
      const entries = streams.get(streamId);
      const last = entries?.[entries.length - 1];
      return last ? last.firstVersion + last.count - 1 : 0;
    },
    async write(appends: readonly StoredAppend[], next: Head) {
      for (const a of appends) {
        for (let i = 0; i < a.jsons.length; i++) {
          lines[a.firstPosition + i - 1] = a.jsons[i]!;
          ids.set(a.ids[i]!, a.firstPosition + i);
        }
        let entries = streams.get(a.streamId);
        if (!entries) streams.set(a.streamId, (entries = []));
        entries.push({ firstVersion: a.firstVersion, position: a.firstPosition, count: a.jsons.length });
      }
      head = next;
    },
    readLog: async (from, direction, limit) => readLog(from, direction, limit),
    readPositions: async (positions) => positions.map(rawAt),
    async findStreamPositions(streamId, fromVersion, direction, limit) {
      // Entries are written in order and never edited here, so they always tile from version 1.
      const entries = streams.get(streamId) ?? [];
      const out: number[] = [];
      let i = entryIndexAtOrBefore(entries, fromVersion);
      if (i < 0) return out;
      if (direction === 'forwards') {
        for (; i < entries.length && out.length < limit; i++) {
          const e = entries[i]!;
          for (let v = Math.max(fromVersion, e.firstVersion); v < e.firstVersion + e.count && out.length < limit; v++)
            out.push(e.position + v - e.firstVersion);
        }
      } else {
        for (; i >= 0 && out.length < limit; i--) {
          const e = entries[i]!;
          for (let v = Math.min(fromVersion, e.firstVersion + e.count - 1); v >= e.firstVersion && out.length < limit; v--)
            out.push(e.position + v - e.firstVersion);
        }
      }
      return out;
    },
    async *scanLog(from, pageSize) {
      for (let p = from; p <= lines.length; p += pageSize) {
        // Like a LevelDB iterator, a scan does not outlive close().
        if (closed) throw new Error('memory ledger closed during scan');
        yield readLog(p, 'forwards', pageSize);
      }
    },
    async findIndexEntries(entries) {
      return {
        streams: entries.map((e) => {
          const list = streams.get(e.streamId) ?? [];
          return list[entryIndexAtOrBefore(list, e.streamVersion)];
        }),
        ids: entries.map((e) => ids.get(e.id)),
      };
    },
    async *scanStreamEntries(pageSize) {
      const all = [...streams].flatMap(([streamId, entries]) => entries.map((entry) => ({ streamId, entry })));
      for (let i = 0; i < all.length; i += pageSize) yield all.slice(i, i + pageSize);
    },
    async *scanIdEntries(pageSize) {
      const all = [...ids].map(([id, position]) => ({ id, position }));
      for (let i = 0; i < all.length; i += pageSize) yield all.slice(i, i + pageSize);
    },
    readSnapshot: async (name) => snapshots.get(name),
    writeSnapshot: async (name, json) => void snapshots.set(name, json),
    close: async () => {
      closed = true;
    },
  };
}
