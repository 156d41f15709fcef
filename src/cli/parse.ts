/**
 * Flag values, checked at the door: every parser either returns a clean value
 * or throws a USAGE error naming the flag, so nothing deeper re-checks.
 */
import { constants as osConstants } from 'node:os';
import { parseUserAnchor, type UserAnchor } from '../anchor/user-anchor.js';
import { parseDuration, timeAgo } from '../supervisor/durations.js';
import { asUsageError, usageError } from './failure.js';

/** Repeatable `k=v` into a record (commander's collect-style parser). */
export function keyValue(flag: string) {
  return (value: string, previous: Record<string, string> | undefined): Record<string, string> => {
    const eq = value.indexOf('=');
    if (eq <= 0) throw usageError(`${flag}: expected KEY=VALUE, got ${JSON.stringify(value)}`, { flag });
    return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
  };
}

/** A whole number within bounds. */
export function integer(flag: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw usageError(`${flag}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`, { flag });
    return n;
  };
}

/** `--attempt`: an attempt number (1 is the first) or `all`. */
export function attemptChoice(flag: string) {
  const number = integer(flag, 1);
  return (value: string): number | 'all' => (value.trim() === 'all' ? 'all' : number(value));
}

/** `--max-restarts N | unlimited`. */
export function restartCount(flag: string) {
  const whole = integer(flag);
  return (value: string): number | 'unlimited' => (value.trim() === 'unlimited' ? 'unlimited' : whole(value));
}

/** A duration like 30s, 5m, 1h or 30 (seconds): checked here, passed on as typed (the spec reads it the same way). */
export function duration(flag: string) {
  return (value: string): string => {
    try {
      parseDuration(value, flag);
    } catch (err) {
      throw asUsageError(flag, err);
    }
    return value;
  };
}

export function regex(flag: string) {
  return (value: string): string => {
    try {
      new RegExp(value);
    } catch (err) {
      throw usageError(`${flag}: invalid regular expression ${JSON.stringify(value)}: ${(err as Error).message}`, { flag });
    }
    return value;
  };
}

export function signalName(flag: string) {
  return (value: string): string => {
    const upper = value.toUpperCase();
    const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
    if (!(name in osConstants.signals)) throw usageError(`${flag}: ${JSON.stringify(value)} is not a signal this system knows`, { flag });
    return name;
  };
}

export function oneOf<T extends string>(flag: string, allowed: readonly T[]) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value))
      throw usageError(`${flag}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, { flag });
    return value as T;
  };
}

/** Comma-separated and/or repeated values, each one of `allowed`. */
export function listOf<T extends string>(flag: string, allowed: readonly T[]) {
  const one = oneOf(flag, allowed);
  return (value: string, previous: T[] | undefined): T[] => [...(previous ?? []), ...value.split(',').filter(Boolean).map(one)];
}

/**
 * A point in time: an ISO-8601 date, or a duration meaning "that long ago"
 * (30s, 5m, 1h; a bare number is seconds, as in every duration flag).
 * Returned as ISO so the daemon and the ledger agree on it.
 */
export function pastTime(flag: string, now: () => number = Date.now) {
  return (value: string): string => {
    try {
      return timeAgo(value, flag, now());
    } catch (err) {
      throw asUsageError(flag, err);
    }
  };
}

/** `--at`: a ledger position (a whole number) or a time as for pastTime. */
export function positionOrTime(flag: string, now: () => number = Date.now) {
  const time = pastTime(flag, now);
  return (value: string): { position: number } | { time: string } => {
    if (/^\d+$/.test(value.trim())) return { position: Number(value) };
    return { time: time(value) };
  };
}

/** `--anchor POSITION:HASH`, the head an earlier `verify --json` printed. */
export function anchor(flag: string) {
  return (value: string): UserAnchor => {
    const parsed = parseUserAnchor(value);
    if (!parsed)
      throw usageError(
        `${flag}: expected POSITION:HASH (a position, a colon, 64 hex digits, as \`verify --json\` prints head), got ${JSON.stringify(value)}`,
        { flag },
      );
    return parsed;
  };
}
