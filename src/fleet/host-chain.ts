/**
 * Each host's own hash chain, checked in the fleet database: the origins
 * rows of a host, in local order, must be positions 1, 2, 3… whose stored
 * JSON hashes to its `hash` and links to the previous one — the same check
 * `verify` makes on the host's LevelDB, so a host's history can be audited
 * from the fleet alone — and each must be the event the fleet holds at its
 * fleet position.
 */
import { GENESIS_HASH } from '../events/envelope.js';
import { hashEvent, type UnhashedEnvelope } from '../events/hash.js';
import type { PgBackend } from './pg-backend.js';
import { FLEET_SCHEMA as S } from './schema.js';

export interface HostChainResult {
  host: string;
  ok: boolean;
  checked: number;
  head: { position: number; hash: string };
  firstBad?: { localPosition: number; reason: string };
}

export interface OriginRow {
  localPosition: number;
  localJson: string;
  /** The fleet's stored record at this event's fleet position. */
  fleetJson: string;
}

/** Pure: checks one row against the chain so far; returns the new head or a reason. */
export function checkHostChainStep(prev: { position: number; hash: string }, row: OriginRow): { hash: string } | { reason: string } {
  if (row.localPosition !== prev.position + 1)
    return { reason: `expected local position ${prev.position + 1}, found ${row.localPosition}` };
  const local = JSON.parse(row.localJson) as Record<string, unknown>;
  const { hash, ...unhashed } = local;
  if (local.position !== row.localPosition) return { reason: `the stored record says position ${String(local.position)}` };
  if (local.prevHash !== prev.hash) return { reason: 'prevHash does not link to the previous event' };
  if (hashEvent(unhashed as unknown as UnhashedEnvelope) !== hash) return { reason: 'the stored record does not match its hash' };
  const fleet = JSON.parse(row.fleetJson) as Record<string, unknown>;
  if (fleet.id !== local.id || fleet.type !== local.type || fleet.streamId !== local.streamId)
    return { reason: `the fleet record is ${String(fleet.type)} ${String(fleet.id)}, not this event` };
  return { hash: String(hash) };
}

export async function verifyHostChains(backend: PgBackend, pageSize = 1000): Promise<HostChainResult[]> {
  const hosts = await backend.query<{ host: string }>(`SELECT DISTINCT host FROM ${S}.origins ORDER BY host`, [], 'listing hosts');
  const results: HostChainResult[] = [];
  for (const { host } of hosts) {
    let head = { position: 0, hash: GENESIS_HASH };
    let bad: HostChainResult['firstBad'];
    for (let after = 0; !bad; ) {
      const rows = await backend.query<{ local_position: string; local_json: string; json: string | null }>(
        `SELECT o.local_position, o.local_json, l.json FROM ${S}.origins o LEFT JOIN ${S}.log l ON l.position = o.position
         WHERE o.host = $1 AND o.local_position > $2 ORDER BY o.local_position LIMIT $3`,
        [host, after, pageSize],
        'reading a host chain',
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        const row = { localPosition: Number(r.local_position), localJson: r.local_json, fleetJson: r.json ?? '{}' };
        const step = checkHostChainStep(head, row);
        if ('reason' in step) {
          bad = { localPosition: row.localPosition, reason: step.reason };
          break;
        }
        head = { position: row.localPosition, hash: step.hash };
      }
      after = head.position;
    }
    results.push({ host, ok: !bad, checked: head.position, head, ...(bad ? { firstBad: bad } : {}) });
  }
  return results;
}
