/**
 * LedgerBackend over classic-level. Writes go through the root database with
 * sublevel prefixes computed once, which is byte-for-byte the sublevel layout
 * but skips per-operation sublevel encoding on the hot path.
 */
import type { ClassicLevel } from 'classic-level';
import { GENESIS_HASH } from '../../events/envelope.js';
import type { Direction, LedgerBackend, LoadedHead, RawRecord, StoredRecord } from '../backend.js';
import type { Head } from '../event-store.js';
import { HEAD_KEY, SUBLEVELS, padNumber, parseStreamKeyVersion, streamKey, streamKeyRange } from '../keys.js';
import { scanRange, readRange } from './iterate.js';

export type LevelDb = ClassicLevel<string, string>;

/** Each sublevel's on-disk prefix (`!name!`) and the bound just past it. */
function prefixOf(db: LevelDb, name: string): { prefix: string; end: string } {
  const prefix = db.sublevel(name).prefix;
  return { prefix, end: prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1) };
}

export function createLevelBackend(db: LevelDb): LedgerBackend {
  const log = prefixOf(db, SUBLEVELS.log);
  const streams = prefixOf(db, SUBLEVELS.streams);
  const ids = prefixOf(db, SUBLEVELS.ids);
  const snapshots = prefixOf(db, SUBLEVELS.snapshots);
  const meta = prefixOf(db, SUBLEVELS.meta);
  const logKey = (position: number) => log.prefix + padNumber(position);
  const toRaw = ([key, json]: [string, string]): RawRecord => ({ position: Number(key.slice(log.prefix.length)), json });

  async function loadHead(): Promise<LoadedHead> {
    const stored = await db.get(meta.prefix + HEAD_KEY);
    const head: Head = stored === undefined ? { position: 0, hash: GENESIS_HASH } : (JSON.parse(stored) as Head);
    const [lastKey] = await db.keys({ gte: log.prefix, lt: log.end, reverse: true, limit: 1 }).all();
    const last = lastKey === undefined ? 0 : Number(lastKey.slice(log.prefix.length));
    if (last === head.position) return { head };
    return { head, damage: { position: Math.min(last, head.position) + 1, reason: `log ends at ${last} but the recorded head is ${head.position}` } };
  }

  return {
    loadHead,
    async findIds(list) {
      const found = await db.getMany(list.map((id) => ids.prefix + id));
      return found.map((v) => (v === undefined ? undefined : Number(v)));
    },
    async findStreamVersion(streamId) {
      const { gt, lt } = streamKeyRange(streamId);
      const [key] = await db.keys({ gt: streams.prefix + gt, lt: streams.prefix + lt, reverse: true, limit: 1 }).all();
      return key === undefined ? 0 : parseStreamKeyVersion(key);
    },
    async write(records: readonly StoredRecord[], head: Head) {
      // The chained form: on this machine it is 2-3x faster than db.batch(array, { sync }).
      const batch = db.batch();
      for (const r of records) {
        const position = String(r.position);
        batch.put(log.prefix + padNumber(r.position), r.json);
        batch.put(streams.prefix + streamKey(r.streamId, r.streamVersion), position);
        batch.put(ids.prefix + r.id, position);
      }
      batch.put(meta.prefix + HEAD_KEY, JSON.stringify(head));
      await batch.write({ sync: true });
    },
    async readLog(from: number, direction: Direction, limit: number) {
      const range = direction === 'forwards' ? { gte: logKey(from), lt: log.end } : { gte: log.prefix, lte: logKey(from), reverse: true };
      return (await readRange(db, { ...range, limit })).map(toRaw);
    },
    async readPositions(positions) {
      const found = await db.getMany(positions.map(logKey));
      return found.map((json, i) => (json === undefined ? undefined : { position: positions[i]!, json }));
    },
    async findStreamPositions(streamId, fromVersion, direction, limit) {
      const { gt, lt } = streamKeyRange(streamId);
      const at = streams.prefix + streamKey(streamId, Math.min(fromVersion, 10 ** 16 - 1));
      const range =
        direction === 'forwards' ? { gte: at, lt: streams.prefix + lt } : { gt: streams.prefix + gt, lte: at, reverse: true };
      return (await readRange(db, { ...range, limit })).map(([, v]) => Number(v));
    },
    async *scanLog(from, pageSize) {
      for await (const page of scanRange(db, { gte: logKey(from), lt: log.end }, pageSize)) yield page.map(toRaw);
    },
    async findIndexEntries(entries) {
      const [s, i] = await Promise.all([
        db.getMany(entries.map((e) => streams.prefix + streamKey(e.streamId, e.streamVersion))),
        db.getMany(entries.map((e) => ids.prefix + e.id)),
      ]);
      const toPosition = (v: string | undefined) => (v === undefined ? undefined : Number(v));
      return { streams: s.map(toPosition), ids: i.map(toPosition) };
    },
    readSnapshot: (name) => db.get(snapshots.prefix + name),
    // Snapshots are a cache of derived state, rebuilt from the log if lost: no fsync needed.
    writeSnapshot: (name, json) => db.put(snapshots.prefix + name, json),
    close: () => db.close(),
  };
}
