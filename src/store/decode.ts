/**
 * Every read goes through here: parse, check the record sits under its own
 * position, validate and upcast. A bad record is an error that names its
 * position — never skipped — so damage is noticed instead of half-read.
 */
import { RunledgerError } from '../errors.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { Upcaster } from '../events/upcast.js';
import { decodeStoredEvent } from '../events/validate.js';
import type { RawRecord } from './backend.js';
import type { DamagedRecord } from './event-store.js';

export function parseRecord(raw: RawRecord): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.json);
  } catch (cause) {
    throw new RunledgerError(
      'CORRUPT_LEDGER',
      `stored event at position ${raw.position} is not valid JSON`,
      { position: raw.position },
      { cause },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || (parsed as { position?: unknown }).position !== raw.position) {
    throw new RunledgerError('CORRUPT_LEDGER', `stored event at position ${raw.position} does not carry that position`, {
      position: raw.position,
    });
  }
  return parsed as Record<string, unknown>;
}

export function decodeRecord(raw: RawRecord, upcasters: Readonly<Record<string, Upcaster>>): EventEnvelope {
  return decodeStoredEvent(parseRecord(raw), upcasters);
}

/**
 * Decode a run of records that must be consecutive (`step` is +1 forwards,
 * -1 backwards), starting at `first`: a missing record is corruption, not a shorter answer.
 */
export function decodeRun(
  records: readonly RawRecord[],
  first: number,
  step: 1 | -1,
  upcasters: Readonly<Record<string, Upcaster>>,
  onDamaged?: (record: DamagedRecord) => void,
): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  for (let i = 0; i < records.length; i++) {
    const raw = records[i]!;
    const expected = first + i * step;
    if (raw.position !== expected) {
      throw new RunledgerError('CORRUPT_LEDGER', `stored event at position ${expected} is missing (found ${raw.position})`, {
        position: expected,
      });
    }
    const e = onDamaged ? decodeOrReport(raw, upcasters, onDamaged) : decodeRecord(raw, upcasters);
    if (e) out.push(e);
  }
  return out;
}

/** Decode, or report the record as damaged and return undefined (tolerant reads). */
export function decodeOrReport(
  raw: RawRecord,
  upcasters: Readonly<Record<string, Upcaster>>,
  onDamaged: (record: DamagedRecord) => void,
): EventEnvelope | undefined {
  try {
    return decodeRecord(raw, upcasters);
  } catch (err) {
    if (!(err instanceof RunledgerError)) throw err;
    onDamaged({ position: raw.position, code: err.code, message: err.message });
    return undefined;
  }
}
