/**
 * Tamper evidence: each event's hash covers its stored content and the
 * previous event's hash, so editing, deleting or reordering any record breaks
 * the chain from that point on. The hash is over the *stored* form (before
 * upcasting), so old events keep verifying after their schema evolves.
 */
import { createHash } from 'node:crypto';
import type { EventEnvelope } from './envelope.js';

export type UnhashedEnvelope = Omit<EventEnvelope, 'hash'>;

/** The canonical byte string that the hash covers: fixed field order, no whitespace. */
function canonicalContent(e: UnhashedEnvelope): string {
  return JSON.stringify([
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
  ]);
}

export function hashEvent(e: UnhashedEnvelope): string {
  return createHash('sha256').update(canonicalContent(e)).digest('hex');
}
