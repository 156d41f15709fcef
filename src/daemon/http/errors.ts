/**
 * RunledgerError codes to HTTP statuses, and the one error body shape
 * (`{ error: { code, message, details } }`). Anything that is not a
 * RunledgerError is a bug: the client gets 500 INTERNAL, the stack goes to the daemon log only.
 */
import { RunledgerError, type ErrorCode } from '../../errors.js';
import type { ApiErrorBody } from '../api.js';

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  RUN_NOT_FOUND: 404,
  TEMPLATE_NOT_FOUND: 404,
  SLOT_BUSY: 409,
  AMBIGUOUS_ID: 409,
  RUN_TERMINAL: 409,
  EMPTY_SCOPE: 409,
  NOT_ATTACHABLE: 409,
  RUNTIME_UNAVAILABLE: 409,
  SPAWN_FAILED: 409,
  DAEMON_RUNNING: 409,
  INVALID_SPEC: 400,
  INVALID_DURATION: 400,
  BAD_REQUEST: 400,
  USAGE: 400,
  INVALID_CONFIG: 400,
  SECRETS_UNAVAILABLE: 409,
  ENV_FILE_UNREADABLE: 409,
  ENV_FILE_INVALID: 409,
  ATTEMPT_NOT_FOUND: 404,
  LOGS_PRUNED: 410,
  INVALID_STACK: 400,
  DEPENDENCY_FAILED: 409,
  DEPENDENCY_TIMEOUT: 409,
  UI_UNAUTHORIZED: 401,
  UI_FORBIDDEN: 403,
  UI_PORT_UNAVAILABLE: 409,
  FLEET_UNAVAILABLE: 409,
  FLEET_NOT_CONFIGURED: 409,
  // The daemon is shutting down: retry against the next one.
  SUPERVISOR_CLOSED: 503,
  LEDGER_CLOSED: 503,
};

const statusOverride = Symbol('httpStatus');

/** An error that should answer with a status other than its code's usual one (e.g. 413, 405). */
export function withStatus(err: RunledgerError, status: number): RunledgerError {
  Object.defineProperty(err, statusOverride, { value: status });
  return err;
}

export function badRequest(message: string, details: Record<string, unknown> = {}, status = 400): RunledgerError {
  return withStatus(new RunledgerError('BAD_REQUEST', message, details), status);
}

export interface MappedError {
  status: number;
  body: ApiErrorBody;
  /** True for bugs: log the stack. */
  internal: boolean;
}

export function mapError(err: unknown): MappedError {
  if (err instanceof RunledgerError) {
    const status = (err as unknown as Record<symbol, number | undefined>)[statusOverride] ?? STATUS_OF[err.code] ?? 500;
    return {
      status,
      body: { error: { code: err.code, message: err.message, details: { ...err.details } } },
      internal: status >= 500 && status !== 503,
    };
  }
  return {
    status: 500,
    body: { error: { code: 'INTERNAL', message: 'internal error in the daemon (its log has the details)' } },
    internal: true,
  };
}
