/**
 * Upcasting keeps old logs readable when an event's shape changes: a stored
 * event carries the schemaVersion it was written with, and on read each
 * registered step lifts its data one version until it reaches the current one.
 * Writers always write the current version.
 */
import { RunledgerError } from '../errors.js';
import type { EventType } from './schemas.js';

/** Lifts `data` from version `from` to `from + 1`. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** Current schema version per event type; types not listed are at version 1. */
export const CURRENT_SCHEMA_VERSION: Partial<Record<EventType, number>> = {
  // v1 (runledger 0.0.x) called the exit status `code`; v2 names it exitCode like ExitRecovered and RunEnded.
  ProcessExited: 2,
  // v2 adds the status `stopped` (a stop that ended the process as asked). Its data is v1's: the
  // fold reads a v1 `killed` after a stop the way v2 would have decided it (projections/stop-outcome.ts),
  // and a runledger that knows only v1 skips a v2 record as LEDGER_TOO_NEW instead of calling it damage.
  RunEnded: 2,
};

const builtInUpcasters: Record<string, Upcaster> = {
  'ProcessExited@1': ({ code, ...rest }) => ({ ...rest, exitCode: code ?? null }),
  'RunEnded@1': (data) => data,
};

export function currentSchemaVersion(type: EventType): number {
  return CURRENT_SCHEMA_VERSION[type] ?? 1;
}

/** Lift stored data to the current schema version; throws INVALID_EVENT for a version we cannot read. */
export function upcast(type: EventType, schemaVersion: number, data: unknown, extra: Readonly<Record<string, Upcaster>> = {}): unknown {
  const target = currentSchemaVersion(type);
  if (schemaVersion === target) return data;
  if (Number.isInteger(schemaVersion) && schemaVersion > target) {
    // Not damage: a newer runledger wrote it. Readers skip it with this code; the record itself is fine.
    throw new RunledgerError(
      'LEDGER_TOO_NEW',
      `${type} has schemaVersion ${schemaVersion}, written by a newer runledger; this one reads 1..${target}`,
      {
        type,
        schemaVersion,
        readable: target,
      },
    );
  }
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
    throw new RunledgerError('INVALID_EVENT', `${type} has schemaVersion ${schemaVersion}; this runledger reads 1..${target}`, {
      type,
      schemaVersion,
    });
  }
  let current = data as Record<string, unknown>;
  for (let v = schemaVersion; v < target; v++) {
    const step = extra[`${type}@${v}`] ?? builtInUpcasters[`${type}@${v}`];
    if (!step) throw new RunledgerError('INVALID_EVENT', `no upcaster for ${type} from schemaVersion ${v}`, { type, schemaVersion: v });
    current = step(current);
  }
  return current;
}
