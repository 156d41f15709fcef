/**
 * Query-string values, checked at the door: unknown keys, non-numbers and
 * bad flags are 400 BAD_REQUEST naming the parameter, never a crash deeper in.
 */
import { badRequest } from './errors.js';

export type Query = URLSearchParams;

/** Refuse keys a route does not know, so a typo is an error rather than a silently ignored filter. */
export function allowKeys(q: Query, allowed: readonly string[]): void {
  for (const key of new Set(q.keys())) {
    if (!allowed.includes(key))
      throw badRequest(`unknown query parameter "${key}" (expected: ${allowed.join(', ') || 'none'})`, { parameter: key });
  }
}

/** The last value of a key; one key given twice is fine, the last one wins. */
export function text(q: Query, key: string): string | undefined {
  const all = q.getAll(key);
  const v = all[all.length - 1];
  if (v === undefined) return undefined;
  if (v.length === 0) throw badRequest(`query parameter "${key}" is empty`, { parameter: key });
  return v;
}

/** `1|true|0|false`, or the bare key (`?all`) for true. */
export function flag(q: Query, key: string): boolean {
  if (!q.has(key)) return false;
  const v = q.getAll(key).pop() ?? '';
  if (v === '' || v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw badRequest(`query parameter "${key}" must be 1 or 0, got ${JSON.stringify(v)}`, { parameter: key });
}

export function integer(q: Query, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = text(q, key);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw badRequest(`query parameter "${key}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`, { parameter: key });
  }
  return Number(v);
}

/** Every value of a repeatable key, commas splitting further (`status=a,b&status=c`). */
export function list(q: Query, key: string): string[] {
  return q
    .getAll(key)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Repeated `k=v` pairs (`label=a=1&label=b=2`) as a record. */
export function pairs(q: Query, key: string): Record<string, string> | undefined {
  const values = q.getAll(key);
  if (values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const kv of values) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw badRequest(`query parameter "${key}" must be k=v, got ${JSON.stringify(kv)}`, { parameter: key });
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}
