/**
 * Tamper evidence: each event's hash covers its stored content and the
 * previous event's hash, so editing, deleting or reordering any record breaks
 * the chain from that point on. The hash is over the *stored* form (before
 * upcasting), so old events keep verifying after their schema evolves.
 *
 * It covers every stored field. The envelope fields runledger writes are
 * hashed in a fixed order (hash format 1, unchanged since the first ledger);
 * any other field a record carries is appended, sorted by name, in canonical
 * JSON. Records runledger writes have no other field, so their hash is the
 * format-1 hash and old ledgers keep verifying; a field added to a stored
 * record changes its hash (and verify also rejects it by name).
 */
import { createHash } from 'node:crypto';
import type { EventEnvelope } from './envelope.js';

export type UnhashedEnvelope = Omit<EventEnvelope, 'hash'>;

/** Every field a stored record may carry; `hash` is the one the hash does not cover. */
export const STORED_FIELDS: ReadonlySet<string> = new Set([
  'position',
  'streamId',
  'streamVersion',
  'id',
  'type',
  'data',
  'time',
  'schemaVersion',
  'causationId',
  'correlationId',
  'prevHash',
  'hash',
]);

/** JSON with object keys sorted at every depth: one spelling per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** Fields outside STORED_FIELDS, sorted (empty for every record runledger writes). */
export function extraFields(e: object): string[] {
  return Object.keys(e)
    .filter((k) => !STORED_FIELDS.has(k))
    .sort();
}

/** The canonical byte string that the hash covers: fixed field order, no whitespace. */
function canonicalContent(e: UnhashedEnvelope): string {
  const known = [
    e.prevHash,
    e.position,
    e.streamId,
    e.streamVersion,
    e.id,
    e.type,
    e.time,
    e.schemaVersion,
    e.causationId ?? null,
    e.correlationId ?? null,
    e.data,
  ];
  const extras = extraFields(e);
  if (extras.length === 0) return JSON.stringify(known);
  const record = e as unknown as Record<string, unknown>;
  return `${JSON.stringify(known).slice(0, -1)},${canonicalJson(extras.map((k) => [k, record[k]]))}]`;
}

export function hashEvent(e: UnhashedEnvelope): string {
  return createHash('sha256').update(canonicalContent(e)).digest('hex');
}
