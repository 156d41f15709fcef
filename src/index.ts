/**
 * runledger: an event-sourced process supervisor. Every spawn, readiness,
 * checkpoint, signal and exit is an immutable event in a LevelDB ledger;
 * the state of runs is derived from it.
 */
export {
  Supervisor,
  type SupervisorOptions,
  type StartOptions,
  type StartResult,
  type StopOptions,
  type InterruptReport,
  type RunRef,
} from './supervisor/supervisor.js';
export { openEmbedded, type EmbeddedOptions, type EmbeddedSupervisor } from './supervisor/embedded.js';
export { normalizeSpec, type RunSpecInput } from './supervisor/spec.js';
export { parseDuration } from './supervisor/durations.js';
export { RunledgerError, WrongExpectedVersionError, isRunledgerError, ERROR_CODES, type ErrorCode } from './errors.js';
export type { Clock, TimerHandle } from './clock.js';
export { systemClock } from './clock.js';
export type { IdGenerator } from './ids.js';
export { ulidGenerator } from './ids.js';
export * from './events/index.js';
export * from './store/index.js';
export * from './projections/index.js';
export * from './runtime/index.js';
export { reconcile } from './supervisor/reconcile-pass.js';
export type { ReconcileReport } from './reconcile/index.js';
export * from './anchor/index.js';
