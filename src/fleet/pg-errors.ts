/**
 * Driver errors in runledger's terms. A database that cannot be reached (or
 * went away mid-query) is FLEET_UNAVAILABLE — callers refuse or retry later,
 * never guess; anything else keeps its cause. Messages are scrubbed of the
 * URL's password.
 */
import { RunledgerError } from '../errors.js';
import { redactSecret } from './redact-url.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN']);

export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  // 08xxx: connection exceptions; 57P0x: the server is shutting down or starting up.
  if (NETWORK_CODES.has(code) || code.startsWith('08') || code.startsWith('57P')) return true;
  return /Connection terminated|connection error|Connection timeout|not queryable|Query read timeout|ECONNREFUSED/i.test(
    String(e?.message ?? ''),
  );
}

/** Wrap a driver error: FLEET_UNAVAILABLE when the server is out of reach, the error itself (scrubbed) otherwise. */
export function fleetError(err: unknown, url: string, doing: string): Error {
  if (err instanceof RunledgerError) return err;
  const message = redactSecret(String((err as { message?: unknown } | null)?.message ?? err), url);
  if (isUnavailable(err)) {
    return new RunledgerError('FLEET_UNAVAILABLE', `the fleet database is unreachable (${doing}): ${message}`, { doing });
  }
  return new Error(`fleet database error (${doing}): ${message}`);
}
