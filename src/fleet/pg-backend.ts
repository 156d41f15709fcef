/**
 * LedgerBackend on PostgreSQL: the same stored JSON, indexes and rules as the
 * LevelDB backend (the ledger core owns every rule), plus what a store shared
 * by many processes needs: a cross-process write lock on the head row
 * (`lockHead`, released by the commit in `write`), head notifications
 * (`watchHead`, LISTEN/NOTIFY) and provenance rows (`origins`).
 * Why a lock and not Emmett's xid8 ordering: ARCHITECTURE.md, "The fleet".
 */
import type pg from 'pg';
import { GENESIS_HASH } from '../events/envelope.js';
import type { Direction, LedgerBackend, LoadedHead, RawRecord, StoredAppend } from '../store/backend.js';
import type { Head } from '../store/event-store.js';
import { fleetError } from './pg-errors.js';
import { FLEET_SCHEMA as S } from './schema.js';
import { insertAppends } from './pg-insert.js';
import { expandStreamEntries } from './stream-tiles.js';
import { watchFleetHead, HEAD_CHANNEL } from './head-watch.js';

export interface PgBackend extends LedgerBackend {
  readonly pool: pg.Pool;
  query<R extends pg.QueryResultRow>(sql: string, params: unknown[], doing: string): Promise<R[]>;
}

const num = (v: unknown): number => Number(v);
const watched = new WeakSet<object>();
const toRaw = (r: { position: unknown; json: string }): RawRecord => ({ position: num(r.position), json: r.json });

export function createPgBackend(url: string, pool: pg.Pool): PgBackend {
  let locked: pg.PoolClient | undefined;
  let stopWatch: (() => Promise<void>) | undefined;
  async function query<R extends pg.QueryResultRow>(sql: string, params: unknown[], doing: string): Promise<R[]> {
    try {
      return (await pool.query<R>(sql, params)).rows;
    } catch (err) {
      throw fleetError(err, url, doing);
    }
  }
  async function release(client: pg.PoolClient, failed: boolean): Promise<void> {
    if (failed) await client.query('ROLLBACK').catch(() => undefined);
    // A client whose connection broke must not go back to the pool.
    client.release(failed ? true : undefined);
  }
  const readLog = async (from: number, direction: Direction, limit: number) =>
    (
      await query<{ position: string; json: string }>(
        direction === 'forwards'
          ? `SELECT position, json FROM ${S}.log WHERE position >= $1 ORDER BY position LIMIT $2`
          : `SELECT position, json FROM ${S}.log WHERE position <= $1 ORDER BY position DESC LIMIT $2`,
        [from, limit],
        'reading the log',
      )
    ).map(toRaw);

  return {
    pool,
    query,
    async loadHead(): Promise<LoadedHead> {
      const rows = await query<{ position: string; hash: string; last: string | null }>(
        `SELECT h.position, h.hash, (SELECT max(position) FROM ${S}.log) AS last FROM ${S}.head h`,
        [],
        'reading the head',
      );
      const row = rows[0];
      const head = row ? { position: num(row.position), hash: row.hash } : { position: 0, hash: GENESIS_HASH };
      const last = num(row?.last ?? 0);
      if (last === head.position) return { head };
      return { head, damage: { position: Math.min(last, head.position) + 1, reason: `head says ${head.position}, log ends at ${last}` } };
    },
    async findIds(ids) {
      const rows = await query<{ id: string; position: string }>(
        `SELECT id, position FROM ${S}.ids WHERE id = ANY($1)`,
        [ids],
        'finding ids',
      );
      const at = new Map(rows.map((r) => [r.id, num(r.position)]));
      return ids.map((id) => at.get(id));
    },
    async findStreamVersion(streamId) {
      const rows = await query<{ v: string }>(
        `SELECT first_version + count - 1 AS v FROM ${S}.streams WHERE stream_id = $1 ORDER BY first_version DESC LIMIT 1`,
        [streamId],
        'reading a stream version',
      );
      return rows[0] ? num(rows[0].v) : 0;
    },
    async lockHead(): Promise<Head> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw fleetError(err, url, 'connecting');
      }
      // A checked-out client whose server goes away emits 'error'; the failing query reports it.
      if (!watched.has(client)) {
        watched.add(client);
        client.on('error', () => undefined);
      }
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ position: string; hash: string }>(`SELECT position, hash FROM ${S}.head FOR UPDATE`);
        locked = client;
        return { position: num(rows[0]!.position), hash: rows[0]!.hash };
      } catch (err) {
        await release(client, true);
        throw fleetError(err, url, 'locking the head');
      }
    },
    async unlockHead() {
      const client = locked;
      locked = undefined;
      if (client) await release(client, true);
    },
    async write(appends: readonly StoredAppend[], head: Head) {
      const client = locked;
      locked = undefined;
      if (!client) throw new Error('fleet write without the head lock');
      try {
        await insertAppends(client, appends);
        await client.query(`UPDATE ${S}.head SET position = $1, hash = $2`, [head.position, head.hash]);
        await client.query('SELECT pg_notify($1, $2)', [HEAD_CHANNEL, `${head.position}:${head.hash}`]);
        await client.query('COMMIT');
        await release(client, false);
      } catch (err) {
        await release(client, true);
        throw fleetError(err, url, 'appending');
      }
    },
    readLog,
    async readPositions(positions) {
      const rows = await query<{ position: string; json: string }>(
        `SELECT position, json FROM ${S}.log WHERE position = ANY($1)`,
        [positions],
        'reading events',
      );
      const at = new Map(rows.map((r) => [num(r.position), r.json]));
      return positions.map((p) => (at.has(p) ? { position: p, json: at.get(p)! } : undefined));
    },
    async findStreamPositions(streamId, fromVersion, direction, limit) {
      const forwards = direction === 'forwards';
      const rows = await query<{ first_version: string; position: string; count: number }>(
        forwards
          ? `SELECT first_version, position, count FROM ${S}.streams WHERE stream_id = $1 AND first_version + count - 1 >= $2 ORDER BY first_version LIMIT $3`
          : `SELECT first_version, position, count FROM ${S}.streams WHERE stream_id = $1 AND first_version <= $2 ORDER BY first_version DESC LIMIT $3`,
        [streamId, fromVersion, limit],
        'reading a stream',
      );
      const entries = rows.map((r) => ({ firstVersion: num(r.first_version), position: num(r.position), count: r.count }));
      return expandStreamEntries(streamId, entries, fromVersion, direction, limit);
    },
    async *scanLog(from, pageSize) {
      for (let p = from; ; ) {
        const page = await readLog(p, 'forwards', pageSize);
        if (page.length === 0) return;
        yield page;
        p = page[page.length - 1]!.position + 1;
      }
    },
    async findIndexEntries(records) {
      const streamRows = await query<{ i: string; first_version: string | null; position: string | null; count: number | null }>(
        `SELECT r.i, s.first_version, s.position, s.count
           FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS r(stream_id, version, i)
           LEFT JOIN LATERAL (SELECT * FROM ${S}.streams s WHERE s.stream_id = r.stream_id AND s.first_version <= r.version
                              ORDER BY s.first_version DESC LIMIT 1) s ON true ORDER BY r.i`,
        [records.map((r) => r.streamId), records.map((r) => r.streamVersion)],
        'reading the streams index',
      );
      const streams = streamRows.map((r) =>
        r.first_version === null ? undefined : { firstVersion: num(r.first_version), position: num(r.position), count: r.count! },
      );
      return { streams, ids: await this.findIds(records.map((r) => r.id)) };
    },
    async *scanStreamEntries(pageSize) {
      let after: [string, number] = ['', 0];
      for (;;) {
        const rows = await query<{ stream_id: string; first_version: string; position: string; count: number }>(
          `SELECT stream_id, first_version, position, count FROM ${S}.streams WHERE (stream_id, first_version) > ($1, $2)
           ORDER BY stream_id, first_version LIMIT $3`,
          [after[0], after[1], pageSize],
          'scanning the streams index',
        );
        if (rows.length === 0) return;
        yield rows.map((r) => ({
          streamId: r.stream_id,
          entry: { firstVersion: num(r.first_version), position: num(r.position), count: r.count },
        }));
        const last = rows[rows.length - 1]!;
        after = [last.stream_id, num(last.first_version)];
      }
    },
    async *scanIdEntries(pageSize) {
      let after = '';
      for (;;) {
        const rows = await query<{ id: string; position: string }>(
          `SELECT id, position FROM ${S}.ids WHERE id > $1 ORDER BY id LIMIT $2`,
          [after, pageSize],
          'scanning the ids index',
        );
        if (rows.length === 0) return;
        yield rows.map((r) => ({ id: r.id, position: num(r.position) }));
        after = rows[rows.length - 1]!.id;
      }
    },
    async readSnapshot(name) {
      const rows = await query<{ json: string }>(`SELECT json FROM ${S}.snapshots WHERE name = $1`, [name], 'reading a snapshot');
      return rows[0]?.json;
    },
    async writeSnapshot(name, json) {
      await query(
        `INSERT INTO ${S}.snapshots (name, json) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET json = EXCLUDED.json`,
        [name, json],
        'writing a snapshot',
      );
    },
    watchHead(onHead) {
      stopWatch = watchFleetHead(url, pool, onHead);
    },
    async close() {
      if (locked) await this.unlockHead!();
      await stopWatch?.();
      await pool.end();
    },
  };
}
