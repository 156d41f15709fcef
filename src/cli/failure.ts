/**
 * The one place errors become exit codes and messages: a known error prints
 * `error [CODE]: message` (or `{"error":{...}}` with --json) and exits 1; a
 * usage error exits 2; a wait that timed out 124 (as timeout(1)); runledger
 * itself failing (daemon gone, a bug) 125 (as `docker run`), so a script can
 * tell it from a child that exited 1; anything else is a bug and prints its stack.
 */
import { RunledgerError, type ErrorCode } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_TIMEOUT = 124;
export const EXIT_RUNLEDGER_FAILED = 125;
export const EXIT_INTERRUPTED = 130;

/** Codes whose exit status is not 1. */
const EXIT_OF: Partial<Record<ErrorCode, number>> = {
  USAGE: EXIT_USAGE,
  WAIT_TIMEOUT: EXIT_TIMEOUT,
  DAEMON_UNAVAILABLE: EXIT_RUNLEDGER_FAILED,
  INTERNAL: EXIT_RUNLEDGER_FAILED,
};

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
    const exitCode = EXIT_OF[err.code] ?? EXIT_ERROR;
    const details = Object.keys(err.details).length > 0 ? { details: err.details } : {};
    const text = json
      ? JSON.stringify({ error: { code: err.code, message: err.message, ...details } })
      : `error [${err.code}]: ${err.message}`;
    return { exitCode, text };
  }
  const stack = err instanceof Error ? (err.stack ?? String(err)) : String(err);
  return { exitCode: EXIT_RUNLEDGER_FAILED, text: `runledger: internal error (a bug, please report it)\n${stack}` };
}
