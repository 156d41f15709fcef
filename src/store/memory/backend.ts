/**
 * LedgerBackend in memory. It stores the same JSON strings the LevelDB
 * backend does, so decoding, upcasting and verify behave identically.
 */
import { GENESIS_HASH } from '../../events/envelope.js';
import type { Direction, LedgerBackend, RawRecord, StoredRecord } from '../backend.js';
import type { Head } from '../event-store.js';

export interface MemoryBackend extends LedgerBackend {
  /** The stored lines, index = position - 1 (tests tamper with these). */
  readonly lines: string[];
}

export function createMemoryBackend(): MemoryBackend {
  const lines: string[] = [];
  const streams = new Map<string, number[]>();
  const ids = new Map<string, number>();
  const snapshots = new Map<string, string>();
  let head: Head = { position: 0, hash: GENESIS_HASH };
  let closed = false;
  const rawAt = (position: number): RawRecord | undefined => {
    const json = lines[position - 1];
    return json === undefined ? undefined : { position, json };
  };
  const readLog = (from: number, direction: Direction, limit: number): RawRecord[] => {
    const out: RawRecord[] = [];
    const step = direction === 'forwards' ? 1 : -1;
    for (let p = from; p >= 1 && p <= lines.length && out.length < limit; p += step) out.push(rawAt(p)!);
    return out;
  };

  return {
    lines,
    loadHead: async () => ({ head }),
    findIds: async (list) => list.map((id) => ids.get(id)),
    findStreamVersion: async (streamId) => streams.get(streamId)?.length ?? 0,
    async write(records: readonly StoredRecord[], next: Head) {
      for (const r of records) {
        lines[r.position - 1] = r.json;
        let positions = streams.get(r.streamId);
        if (!positions) streams.set(r.streamId, (positions = []));
        positions[r.streamVersion - 1] = r.position;
        ids.set(r.id, r.position);
      }
      head = next;
    },
    readLog: async (from, direction, limit) => readLog(from, direction, limit),
    readPositions: async (positions) => positions.map(rawAt),
    async findStreamPositions(streamId, fromVersion, direction, limit) {
      const all = streams.get(streamId) ?? [];
      if (direction === 'forwards') return all.slice(fromVersion - 1, fromVersion - 1 + Math.min(limit, all.length));
      const end = Math.min(fromVersion, all.length);
      return all.slice(Math.max(0, end - limit), end).reverse();
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
        streams: entries.map((e) => streams.get(e.streamId)?.[e.streamVersion - 1]),
        ids: entries.map((e) => ids.get(e.id)),
      };
    },
    readSnapshot: async (name) => snapshots.get(name),
    writeSnapshot: async (name, json) => void snapshots.set(name, json),
    close: async () => {
      closed = true;
    },
  };
}
