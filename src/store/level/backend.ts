/**
 * LedgerBackend over classic-level. Writes go through the root database with
 * sublevel prefixes computed once, which is byte-for-byte the sublevel layout
 * but skips per-operation sublevel encoding on the hot path.
 */
import { ClassicLevel } from 'classic-level';
import { RunledgerError } from '../../errors.js';
import { GENESIS_HASH } from '../../events/envelope.js';
import type { Direction, LedgerBackend, LoadedHead, RawRecord, StoredAppend } from '../backend.js';
import type { Head } from '../event-store.js';
import {
  HEAD_KEY,
  SUBLEVELS,
  decodeStreamIndexValue,
  encodeStreamIndexValue,
  isWellFormedEntry,
  padNumber,
  parseStreamKeyVersion,
  streamKey,
  streamKeyRange,
  type StreamIndexEntry,
} from '../keys.js';
import { scanRange, readRange, walkRange } from './iterate.js';
import { prefixOf, type LevelDb } from './layout.js';

export { ensureLayout, type LevelDb } from './layout.js';

/** Highest version a stream key can spell (16 digits). */
const MAX_KEY_VERSION = 10 ** 16 - 1;

function corruptIndex(streamId: string, message: string): RunledgerError {
  return new RunledgerError('CORRUPT_LEDGER', `stream index of ${streamId}: ${message}`, { streamId });
}

/** Opens a fresh handle on a directory; level-store.ts passes its own, which maps a lock error to LEDGER_LOCKED. */
export type LevelOpener = (location: string) => Promise<LevelDb>;

async function openPlain(location: string): Promise<LevelDb> {
  const db: LevelDb = new ClassicLevel<string, string>(location, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  return db;
}

export function createLevelBackend(initial: LevelDb, openAgain: LevelOpener = openPlain): LedgerBackend {
  // Replaced by reopen(); every operation reads it at call time.
  let db = initial;
  const log = prefixOf(db, SUBLEVELS.log);
  const streams = prefixOf(db, SUBLEVELS.streams);
  const ids = prefixOf(db, SUBLEVELS.ids);
  const snapshots = prefixOf(db, SUBLEVELS.snapshots);
  const meta = prefixOf(db, SUBLEVELS.meta);
  const logPrefix = log.prefix;
  const idsPrefix = ids.prefix;
  const streamsPrefix = streams.prefix;
  const headKey = meta.prefix + HEAD_KEY;
  const logKey = (position: number) => logPrefix + padNumber(position);
  const toRaw = ([key, json]: [string, string]): RawRecord => ({ position: Number(key.slice(logPrefix.length)), json });
  const toEntry = (key: string, value: string): StreamIndexEntry => decodeStreamIndexValue(parseStreamKeyVersion(key), value);
  /** An entry a read relies on: a malformed one is corruption. */
  const readEntry = (streamId: string, key: string, value: string): StreamIndexEntry => {
    const e = toEntry(key, value);
    if (!isWellFormedEntry(e)) throw corruptIndex(streamId, `malformed entry at version ${e.firstVersion}`);
    return e;
  };
  const streamBounds = (streamId: string) => {
    const { gt, lt } = streamKeyRange(streamId);
    return { gt: streamsPrefix + gt, lt: streamsPrefix + lt };
  };

  /** The entry with the greatest first version <= `version` (the one that covers it, if any does). */
  async function entryAtOrBefore(streamId: string, version: number): Promise<[string, string] | undefined> {
    const { gt } = streamBounds(streamId);
    const [entry] = await readRange(db, {
      gt,
      lte: streamsPrefix + streamKey(streamId, Math.min(version, MAX_KEY_VERSION)),
      reverse: true,
      limit: 1,
    });
    return entry;
  }

  async function loadHead(): Promise<LoadedHead> {
    const stored = await db.get(headKey);
    const head: Head = stored === undefined ? { position: 0, hash: GENESIS_HASH } : (JSON.parse(stored) as Head);
    const [lastKey] = await db.keys({ gte: logPrefix, lt: log.end, reverse: true, limit: 1 }).all();
    const last = lastKey === undefined ? 0 : Number(lastKey.slice(logPrefix.length));
    if (last === head.position) return { head };
    return {
      head,
      damage: { position: Math.min(last, head.position) + 1, reason: `log ends at ${last} but the recorded head is ${head.position}` },
    };
  }

  async function findStreamPositionsForwards(streamId: string, fromVersion: number, limit: number): Promise<number[]> {
    const { lt } = streamBounds(streamId);
    const start = await entryAtOrBefore(streamId, fromVersion);
    if (!start) {
      // No entry at or before fromVersion: the stream is empty, or its first entry does not start at 1.
      const [first] = await readRange(db, { gt: streamBounds(streamId).gt, lt, limit: 1 });
      if (first) throw corruptIndex(streamId, `no entry covers version ${fromVersion}`);
      return [];
    }
    const out: number[] = [];
    let next = -1;
    await walkRange(
      db,
      { gte: start[0], lt },
      () => limit - out.length,
      (key, value) => {
        const e = readEntry(streamId, key, value);
        if (next !== -1 && e.firstVersion !== next)
          throw corruptIndex(streamId, `entries do not tile at version ${next} (next entry starts at ${e.firstVersion})`);
        next = e.firstVersion + e.count;
        for (let v = Math.max(fromVersion, e.firstVersion); v < next && out.length < limit; v++)
          out.push(e.position + (v - e.firstVersion));
        return out.length < limit;
      },
    );
    return out;
  }

  async function findStreamPositionsBackwards(streamId: string, fromVersion: number, limit: number): Promise<number[]> {
    const { gt } = streamBounds(streamId);
    const out: number[] = [];
    let expectedEnd = -1;
    let lastStart = 1;
    await walkRange(
      db,
      { gt, lte: streamsPrefix + streamKey(streamId, Math.min(fromVersion, MAX_KEY_VERSION)), reverse: true },
      () => limit - out.length,
      (key, value) => {
        const e = readEntry(streamId, key, value);
        const end = e.firstVersion + e.count - 1;
        if (expectedEnd !== -1 && end !== expectedEnd)
          throw corruptIndex(streamId, `entries do not tile at version ${expectedEnd} (entry at ${e.firstVersion} ends at ${end})`);
        expectedEnd = e.firstVersion - 1;
        lastStart = e.firstVersion;
        for (let v = Math.min(fromVersion, end); v >= e.firstVersion && out.length < limit; v--)
          out.push(e.position + (v - e.firstVersion));
        return out.length < limit;
      },
    );
    if (out.length < limit && expectedEnd !== -1 && lastStart !== 1)
      throw corruptIndex(streamId, `no entry covers version ${lastStart - 1}`);
    return out;
  }

  return {
    loadHead,
    async findIds(list) {
      const found = await db.getMany(list.map((id) => idsPrefix + id));
      return found.map((v) => (v === undefined ? undefined : Number(v)));
    },
    async findStreamVersion(streamId) {
      const [entry] = await readRange(db, { ...streamBounds(streamId), reverse: true, limit: 1 });
      if (!entry) return 0;
      const e = readEntry(streamId, entry[0], entry[1]);
      return e.firstVersion + e.count - 1;
    },
    async write(appends: readonly StoredAppend[], head: Head) {
      // The chained form: on this machine it is 2-3x faster than db.batch(array, { sync }).
      const batch = db.batch();
      for (const a of appends) {
        const { jsons, ids: eventIds } = a;
        let position = a.firstPosition;
        for (let i = 0; i < jsons.length; i++, position++) {
          batch.put(logPrefix + padNumber(position), jsons[i]!);
          batch.put(idsPrefix + eventIds[i]!, String(position));
        }
        batch.put(streamsPrefix + streamKey(a.streamId, a.firstVersion), encodeStreamIndexValue(a.firstPosition, jsons.length));
      }
      batch.put(headKey, JSON.stringify(head));
      await batch.write({ sync: true });
    },
    async readLog(from: number, direction: Direction, limit: number) {
      const range = direction === 'forwards' ? { gte: logKey(from), lt: log.end } : { gte: logPrefix, lte: logKey(from), reverse: true };
      return (await readRange(db, { ...range, limit })).map(toRaw);
    },
    async readPositions(positions) {
      const found = await db.getMany(positions.map(logKey));
      return found.map((json, i) => (json === undefined ? undefined : { position: positions[i]!, json }));
    },
    async findStreamPositions(streamId, fromVersion, direction, limit) {
      if (limit <= 0) return [];
      return direction === 'forwards'
        ? findStreamPositionsForwards(streamId, fromVersion, limit)
        : findStreamPositionsBackwards(streamId, fromVersion, limit);
    },
    async *scanLog(from, pageSize) {
      for await (const page of scanRange(db, { gte: logKey(from), lt: log.end }, pageSize)) yield page.map(toRaw);
    },
    async findIndexEntries(records) {
      // Most records start their own entry (single-event appends), so one getMany finds them;
      // a record inside a multi-event entry reuses its predecessor's, and only the rest need a seek.
      const [exact, found] = await Promise.all([
        db.getMany(records.map((r) => streamsPrefix + streamKey(r.streamId, r.streamVersion))),
        db.getMany(records.map((r) => idsPrefix + r.id)),
      ]);
      const previous = new Map<string, { version: number; entry: StreamIndexEntry | undefined }>();
      const entries: (StreamIndexEntry | undefined)[] = new Array(records.length);
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        const value = exact[i];
        let entry: StreamIndexEntry | undefined;
        if (value !== undefined) entry = decodeStreamIndexValue(r.streamVersion, value);
        else {
          const prev = previous.get(r.streamId);
          if (prev && prev.version === r.streamVersion - 1) entry = prev.entry;
          else {
            const kv = await entryAtOrBefore(r.streamId, r.streamVersion);
            entry = kv && toEntry(kv[0], kv[1]);
          }
        }
        previous.set(r.streamId, { version: r.streamVersion, entry });
        entries[i] = entry;
      }
      return { streams: entries, ids: found.map((v) => (v === undefined ? undefined : Number(v))) };
    },
    async *scanStreamEntries(pageSize) {
      for await (const page of scanRange(db, { gte: streamsPrefix, lt: streams.end }, pageSize)) {
        yield page.map(([key, value]) => {
          const k = key.slice(streamsPrefix.length);
          return { streamId: k.slice(0, k.lastIndexOf('\x00')), entry: toEntry(key, value) };
        });
      }
    },
    async *scanIdEntries(pageSize) {
      for await (const page of scanRange(db, { gte: idsPrefix, lt: ids.end }, pageSize)) {
        yield page.map(([key, value]) => ({ id: key.slice(idsPrefix.length), position: Number(value) }));
      }
    },
    readSnapshot: (name) => db.get(snapshots.prefix + name),
    // Snapshots are a cache of derived state, rebuilt from the log if lost: no fsync needed.
    writeSnapshot: (name, json) => db.put(snapshots.prefix + name, json),
    close: () => db.close(),
    // Opening replays LevelDB's log: a batch whose fdatasync failed after it reached
    // the log is visible again, and the failed sync's sticky error is gone.
    async reopen() {
      await db.close();
      db = await openAgain(db.location);
    },
  };
}
