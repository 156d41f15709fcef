/**
 * The write half of the fleet's Postgres backend: one batch of appends as
 * one INSERT per table (log, ids, streams, and origins for replicated
 * records), each fed by arrays through unnest. Split from pg-backend.ts.
 */
import type pg from 'pg';
import type { StoredAppend } from '../store/backend.js';
import { FLEET_SCHEMA as S } from './schema.js';

/** One batch's rows, a statement per table (arrays, not one statement per event). */
export async function insertAppends(client: pg.PoolClient, appends: readonly StoredAppend[]): Promise<void> {
  const positions: number[] = [];
  const jsons: string[] = [];
  const ids: string[] = [];
  const origin = { hosts: [] as string[], local: [] as number[], positions: [] as number[], jsons: [] as string[] };
  for (const a of appends) {
    a.jsons.forEach((json, i) => {
      positions.push(a.firstPosition + i);
      jsons.push(json);
      ids.push(a.ids[i]!);
      const o = a.origin?.records[i];
      if (o) {
        origin.hosts.push(a.origin!.host);
        origin.local.push(o.position);
        origin.positions.push(a.firstPosition + i);
        origin.jsons.push(o.json);
      }
    });
  }
  await client.query(`INSERT INTO ${S}.log (position, json) SELECT * FROM unnest($1::bigint[], $2::text[])`, [positions, jsons]);
  await client.query(`INSERT INTO ${S}.ids (id, position) SELECT * FROM unnest($1::text[], $2::bigint[])`, [ids, positions]);
  await client.query(
    `INSERT INTO ${S}.streams (stream_id, first_version, position, count) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::int[])`,
    [
      appends.map((a) => a.streamId),
      appends.map((a) => a.firstVersion),
      appends.map((a) => a.firstPosition),
      appends.map((a) => a.jsons.length),
    ],
  );
  if (origin.hosts.length > 0) {
    await client.query(
      `INSERT INTO ${S}.origins (host, local_position, position, local_json) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[])`,
      [origin.hosts, origin.local, origin.positions, origin.jsons],
    );
  }
}
