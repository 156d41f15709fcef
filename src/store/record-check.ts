/**
 * What verify requires of one stored record beyond its hash links: no field
 * outside the envelope (the hash covers them, but none is ever written, so one
 * is an edit), optional fields of their written type (an absent and a null
 * causationId hash alike), and that it decodes — a ledger verify calls ok
 * must be one every read path can read. A record from a newer runledger
 * (unknown type, or a schemaVersion above ours) is LEDGER_TOO_NEW, not damage.
 */
import type { ErrorCode } from '../errors.js';
import { extraFields } from '../events/hash.js';
import { currentSchemaVersion, type Upcaster } from '../events/upcast.js';
import { decodeStoredEvent, isEventType } from '../events/validate.js';

/** Why a record (or index entry) fails verify: a stable code, the position, and facts for programs. */
export interface VerifyFailure {
  position: number;
  code: ErrorCode;
  reason: string;
  details?: Record<string, unknown>;
}

/** The envelope's shape: checked before the hash, so an added field is named rather than reported as an edit. */
export function checkStoredFields(position: number, record: Record<string, unknown>): VerifyFailure | undefined {
  const extras = extraFields(record);
  if (extras.length > 0) {
    return {
      position,
      code: 'CORRUPT_LEDGER',
      reason: `unknown stored field ${extras.map((k) => JSON.stringify(k)).join(', ')}`,
      details: { fields: extras },
    };
  }
  for (const field of ['causationId', 'correlationId'] as const) {
    if (field in record && typeof record[field] !== 'string') {
      return { position, code: 'CORRUPT_LEDGER', reason: `${field} is stored as ${JSON.stringify(record[field])}, not a string` };
    }
  }
  return undefined;
}

/** The record decodes as this runledger reads it (checked once its hash holds). */
export function checkDecodes(
  position: number,
  record: Record<string, unknown>,
  upcasters: Readonly<Record<string, Upcaster>>,
): VerifyFailure | undefined {
  const { type, schemaVersion } = record;
  if (!isEventType(type)) {
    return {
      position,
      code: 'LEDGER_TOO_NEW',
      reason: `event type ${JSON.stringify(type)} is unknown to this runledger (written by a newer one?)`,
      details: { type },
    };
  }
  if (typeof schemaVersion === 'number' && schemaVersion > currentSchemaVersion(type)) {
    return {
      position,
      code: 'LEDGER_TOO_NEW',
      reason: `${type} has schemaVersion ${schemaVersion}; this runledger reads up to ${currentSchemaVersion(type)}`,
      details: { type, schemaVersion },
    };
  }
  try {
    decodeStoredEvent(record, upcasters);
  } catch (err) {
    return { position, code: 'CORRUPT_LEDGER', reason: `does not decode: ${(err as Error).message}` };
  }
  return undefined;
}
