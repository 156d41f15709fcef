/**
 * JSON body shapes, checked at the door. The run spec itself is checked by
 * the supervisor's normalizeSpec; these guard the envelope around it.
 */
import { badRequest } from './errors.js';

export type Body = Record<string, unknown>;

/** The body as an object with only `allowed` keys; an absent body is `{}`. */
export function objectBody(value: unknown, allowed: readonly string[]): Body {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest('the request body must be a JSON object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw badRequest(`unknown field "${key}" in the request body (expected: ${allowed.join(', ') || 'none'})`, { field: key });
  }
  return value as Body;
}

export function optBoolean(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`"${key}" must be true or false`, { field: key });
  return v;
}

export function optString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0) throw badRequest(`"${key}" must be a non-empty string`, { field: key });
  return v;
}

/** A duration as given: a string like "5s" (a bare "5" is seconds) or a JSON number of ms (parsed by the supervisor). */
export function optDuration(body: Body, key: string): string | number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number')
    throw badRequest(`"${key}" must be a duration string ("5s", "5" = seconds) or a number of milliseconds`, { field: key });
  return v;
}

export function optStrings(body: Body, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s.length === 0))
    throw badRequest(`"${key}" must be an array of non-empty strings`, { field: key });
  return v as string[];
}

export function optStringRecord(body: Body, key: string): Record<string, string> | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((s) => typeof s !== 'string')) {
    throw badRequest(`"${key}" must be an object of strings`, { field: key });
  }
  return v as Record<string, string>;
}

/** An object that must be present (e.g. the run spec); its inside is someone else's to check. */
export function requiredObject(body: Body, key: string): Record<string, unknown> {
  const v = body[key];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badRequest(`"${key}" must be a JSON object`, { field: key });
  return v as Record<string, unknown>;
}
