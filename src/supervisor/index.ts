export {
  Supervisor,
  type SupervisorOptions,
  type StartOptions,
  type StartResult,
  type StopOptions,
  type InterruptReport,
  type RunRef,
} from './supervisor.js';
export { normalizeSpec, SPEC_DEFAULTS, type RunSpecInput, type NormalizedSpec } from './spec.js';
export { parseDuration, formatDuration } from './durations.js';
export { redactEnv, isSecretKey, REDACTED } from './redact.js';
export { readGitInfo, type GitInfo } from './git.js';
export * as deciders from './decide.js';
export { decideStart } from './decide-start.js';
