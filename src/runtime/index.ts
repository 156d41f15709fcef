/** The process runtime: adapters, /proc facts and the shim's location. */
export type * from './adapter.js';
export { createBackgroundRuntime, type BackgroundRuntimeOptions } from './background.js';
export { createTmuxRuntime, type TmuxRuntimeOptions } from './tmux.js';
export { shimPath } from './shim-path.js';
export {
  checkIdentity,
  groupAlive,
  identityOf,
  parseProcStat,
  readBootId,
  readProcStat,
  type IdentityCheck,
  type ProcStat,
} from './proc.js';
export { probeTarget } from './probe.js';
export { createRunEnvFiles, type CapturedEnv, type RunEnvStore } from './run-env-file.js';
