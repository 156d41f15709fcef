/**
 * One error class for every failure a caller may want to branch on.
 * Callers switch on `code`, never on `message`: codes are stable (listed in
 * README "Error codes"), messages may improve.
 */
export const ERROR_CODES = [
  // events / ledger
  'INVALID_EVENT',
  'UNKNOWN_EVENT_TYPE',
  'CORRUPT_LEDGER',
  'WRONG_EXPECTED_VERSION',
  'EVENT_ID_CONFLICT',
  'LEDGER_LOCKED',
  'LEDGER_CLOSED',
  'LEDGER_IO',
  'LEDGER_TOO_NEW',
  'INVALID_STREAM_ID',
  // anchors, exports, import, salvage
  'LEDGER_ROLLED_BACK',
  'ANCHOR_MISMATCH',
  'ANCHOR_BAD_SIGNATURE',
  'EXPORT_TRUNCATED',
  'LEDGER_NOT_EMPTY',
  'NOTHING_TO_SALVAGE',
  // runs
  'INVALID_SPEC',
  'RUN_NOT_FOUND',
  'AMBIGUOUS_ID',
  'SLOT_BUSY',
  'RUN_TERMINAL',
  'EMPTY_SCOPE',
  'SPAWN_FAILED',
  'PROJECTION_BUG',
  'SUPERVISOR_CLOSED',
  'NOT_ATTACHABLE',
  'RUNTIME_UNAVAILABLE',
  // daemon / cli
  'DAEMON_UNAVAILABLE',
  'DAEMON_RUNNING',
  'UNSAFE_SOCKET',
  'BAD_REQUEST',
  'USAGE',
  'INVALID_DURATION',
  'INVALID_CONFIG',
  'CONFIG_NOT_FOUND',
  'TEMPLATE_NOT_FOUND',
  // starting the daemon at boot
  'BOOT_UNAVAILABLE',
  'BOOT_FAILED',
  // the web UI's listener (runledger ui)
  'UI_UNAUTHORIZED',
  'UI_FORBIDDEN',
  'UI_PORT_UNAVAILABLE',
  // a run's environment
  'SECRETS_UNAVAILABLE',
  'ENV_FILE_UNREADABLE',
  'ENV_FILE_INVALID',
  // the MCP server's safety flags
  'CWD_NOT_ALLOWED',
  'SHELL_NOT_ALLOWED',
  'READ_ONLY',
  // waiting for a run (`wait`, `run --wait-ready`)
  'WAIT_TIMEOUT',
  'NEVER_READY',
  // logs
  'ATTEMPT_NOT_FOUND',
  'LOGS_PRUNED',
  // stacks (runledger.yaml, up/down)
  'STACK_NOT_FOUND',
  'INVALID_STACK',
  'DEPENDENCY_FAILED',
  'DEPENDENCY_TIMEOUT',
  // the fleet (PostgreSQL)
  'FLEET_UNAVAILABLE',
  'FLEET_SCHEMA_TOO_NEW',
  'FLEET_HOST_CONFLICT',
  'FLEET_NOT_CONFIGURED',
  'HOST_UNAVAILABLE',
  // a bug: the daemon answered 500 (the stack is in its log)
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Marks every RunledgerError, whichever copy of this module made it (see hasInstance below). */
const BRAND = Symbol.for('runledger.error');

export class RunledgerError extends Error {
  override readonly name = 'RunledgerError';
  readonly [BRAND] = true;

  /**
   * `instanceof RunledgerError` holds across copies of this module: the CLI's
   * bundle is two files, each with its own copy (ARCHITECTURE.md "CLI
   * start-up"), and an error made in one is checked in the other. Subclasses
   * keep the ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== RunledgerError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  readonly code: ErrorCode;
  /** Structured facts for programs (e.g. expected/actual versions, candidates). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Thrown by append when the stream is not at the version the caller expected. */
export class WrongExpectedVersionError extends RunledgerError {
  readonly expected: ExpectedVersionLike;
  readonly actual: number;
  constructor(streamId: string, expected: ExpectedVersionLike, actual: number) {
    super('WRONG_EXPECTED_VERSION', `stream ${streamId} is at version ${actual}, expected ${String(expected)}`, {
      streamId,
      expected,
      actual,
    });
    this.expected = expected;
    this.actual = actual;
  }
}

type ExpectedVersionLike = 'any' | 'no_stream' | 'exists' | number;

export function isRunledgerError(err: unknown, code?: ErrorCode): err is RunledgerError {
  return err instanceof RunledgerError && (code === undefined || err.code === code);
}
