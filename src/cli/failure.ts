/**
 * The one place errors become exit codes and messages: a known error prints
 * `error [CODE]: message` (or `{"error":{...}}` with --json) and exits 1; a
 * usage error exits 2; anything else is a bug and prints its stack.
 */
import { RunledgerError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

/** A mistake on the command line itself (bad flag, bad value): exit 2, code USAGE. */
export function usageError(message: string, details: Record<string, unknown> = {}): RunledgerError {
  return new RunledgerError('USAGE', message, details);
}

/** Re-file an error found while checking a flag value as a usage error, keeping the original code in details. */
export function asUsageError(flag: string, err: unknown): RunledgerError {
  if (err instanceof RunledgerError) {
    const message = err.message.startsWith(`${flag}:`) ? err.message : `${flag}: ${err.message.replace(/^[\w.[\]]+: /, '')}`;
    return usageError(message, { ...err.details, flag, reason: err.code });
  }
  throw err;
}

export interface FailureOutput {
  exitCode: number;
  /** What to print on stderr (with --json: the JSON error object). */
  text: string;
}

/** Map any thrown value to what the CLI prints and its exit code. */
export function describeFailure(err: unknown, json: boolean): FailureOutput {
  if (err instanceof RunledgerError) {
    const exitCode = err.code === 'USAGE' ? EXIT_USAGE : EXIT_ERROR;
    const details = Object.keys(err.details).length > 0 ? { details: err.details } : {};
    const text = json
      ? JSON.stringify({ error: { code: err.code, message: err.message, ...details } })
      : `error [${err.code}]: ${err.message}`;
    return { exitCode, text };
  }
  const stack = err instanceof Error ? (err.stack ?? String(err)) : String(err);
  return { exitCode: EXIT_ERROR, text: `runledger: internal error (a bug, please report it)\n${stack}` };
}
