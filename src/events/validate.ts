/**
 * Validation at both doors of the log: nothing malformed is written, and
 * nothing malformed read back is silently skipped — it is an error with the
 * position, so a damaged ledger is noticed instead of half-read.
 * The checks are generated from the schemas at build time
 * (validators.generated.ts): plain functions, so no process that validates
 * events has to load TypeBox.
 */
import { RunledgerError } from '../errors.js';
import { EVENT_TYPES } from './constants.js';
import type { EventType } from './schemas.js';
import type { EventEnvelope, NewEvent, RunledgerEvent } from './envelope.js';
import { upcast, type Upcaster } from './upcast.js';
import { validators as generated } from './validators.generated.js';

interface GeneratedValidator {
  required: readonly string[];
  closed: boolean;
  fields: Readonly<Record<string, (value: unknown) => boolean>>;
}

const validators = generated as unknown as Readonly<Record<EventType, GeneratedValidator>>;

/**
 * An event's data is valid when it is an object whose required fields are
 * present, whose present fields pass their checks, and which (for closed
 * schemas) has no other field: TypeBox's object semantics, composed from the
 * generated field checks (a property test holds it to TypeBox's own).
 */
function check(v: GeneratedValidator, data: unknown): boolean {
  if (!isRecord(data)) return false;
  for (const key of v.required) if (!(key in data)) return false;
  for (const key of Object.keys(data)) {
    const field = v.fields[key];
    if (field) {
      if (data[key] !== undefined || v.required.includes(key) ? !field(data[key]) : false) return false;
    } else if (v.closed) return false;
  }
  return true;
}
const KNOWN = new Set<string>(EVENT_TYPES);

export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && KNOWN.has(type);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Name the first field that is wrong (only called on the failure path). */
function describeFirstError(v: GeneratedValidator, data: unknown): string {
  if (!isRecord(data)) return '/: expected an object';
  for (const key of v.required) if (!(key in data)) return `/${key}: is required`;
  for (const [key, value] of Object.entries(data)) {
    const check = v.fields[key];
    if (check && !check(value)) return `/${key}: invalid value ${JSON.stringify(value)?.slice(0, 80) ?? String(value)}`;
    if (!check && v.closed) return `/${key}: is not allowed`;
  }
  return 'does not match its schema';
}

/** Validate an event's type and payload; throws UNKNOWN_EVENT_TYPE or INVALID_EVENT. */
export function assertValidEvent(type: unknown, data: unknown, where = 'event'): asserts type is EventType {
  if (!isEventType(type)) {
    throw new RunledgerError('UNKNOWN_EVENT_TYPE', `${where}: unknown event type ${JSON.stringify(type)}`, { type });
  }
  const v = validators[type];
  if (!check(v, data)) {
    throw new RunledgerError('INVALID_EVENT', `${where}: ${type} ${describeFirstError(v, data)}`, { type });
  }
}

const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Check a caller's new event before it reaches the store. */
export function validateNewEvent(e: NewEvent): void {
  if (e === null || typeof e !== 'object') throw new RunledgerError('INVALID_EVENT', 'event must be an object');
  assertValidEvent(e.type, e.data);
  if (e.id !== undefined && !ULID_RE.test(e.id)) {
    throw new RunledgerError('INVALID_EVENT', `event id ${JSON.stringify(e.id)} is not a ULID`, { id: e.id });
  }
  for (const k of ['causationId', 'correlationId', 'time'] as const) {
    if (e[k] !== undefined && typeof e[k] !== 'string') throw new RunledgerError('INVALID_EVENT', `${k} must be a string`);
  }
}

/**
 * Turn one stored record (already JSON-parsed) into a typed, current-version
 * envelope. Throws CORRUPT_LEDGER (envelope damaged) or the validation codes.
 */
export function decodeStoredEvent(raw: unknown, upcasters?: Readonly<Record<string, Upcaster>>): EventEnvelope {
  if (
    !isRecord(raw) ||
    typeof raw.position !== 'number' ||
    typeof raw.streamId !== 'string' ||
    typeof raw.streamVersion !== 'number' ||
    typeof raw.id !== 'string' ||
    typeof raw.time !== 'string' ||
    typeof raw.schemaVersion !== 'number' ||
    typeof raw.prevHash !== 'string' ||
    typeof raw.hash !== 'string'
  ) {
    const position = isRecord(raw) ? raw.position : undefined;
    throw new RunledgerError('CORRUPT_LEDGER', `stored event at position ${String(position)} has a malformed envelope`, { position });
  }
  const where = `stored event at position ${raw.position}`;
  if (!isEventType(raw.type)) {
    // A stored record of a type we do not know passed the writer's validation, so a newer runledger wrote it.
    throw new RunledgerError(
      'LEDGER_TOO_NEW',
      `${where}: event type ${JSON.stringify(raw.type)} (schemaVersion ${raw.schemaVersion}) was written by a newer runledger`,
      {
        position: raw.position,
        type: raw.type,
        schemaVersion: raw.schemaVersion,
      },
    );
  }
  const data = upcastAt(raw.position, raw.type, raw.schemaVersion, raw.data, upcasters);
  assertValidEvent(raw.type, data, where);
  return data === raw.data ? (raw as unknown as EventEnvelope) : ({ ...raw, data } as unknown as EventEnvelope);
}

/** upcast, with the record's position added to the error so every read error names it. */
function upcastAt(
  position: number,
  type: EventType,
  schemaVersion: number,
  data: unknown,
  upcasters?: Readonly<Record<string, Upcaster>>,
): unknown {
  try {
    return upcast(type, schemaVersion, data, upcasters);
  } catch (err) {
    if (err instanceof RunledgerError)
      throw new RunledgerError(err.code, `stored event at position ${position}: ${err.message}`, { ...err.details, position });
    throw err;
  }
}

export type { RunledgerEvent };
