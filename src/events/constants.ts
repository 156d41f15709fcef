/**
 * The catalogue's plain lists, in a module that loads nothing: runtime code
 * (the daemon, the CLI) imports these without paying for TypeBox, which only
 * the schema definitions and the validator generator need.
 */
export const TERMINAL_STATUSES = ['completed', 'failed', 'killed', 'interrupted', 'timeout', 'stale', 'unknown', 'stopped'] as const;
export const RUN_STATUSES = ['pending', 'starting', 'running', 'restarting', 'stopping', ...TERMINAL_STATUSES] as const;
/**
 * `maxRestarts: "unlimited"` is recorded as the largest safe integer: a count
 * no run reaches, and a number every runledger that reads the spec already
 * understands (no schema change, no sentinel older readers would misread).
 */
export const UNLIMITED_RESTARTS = Number.MAX_SAFE_INTEGER;
export const OWNER_KEYS = ['session', 'turn', 'toolCall', 'terminal', 'extension', 'hook'] as const;
/** `unhealthy`: the health probe failed `failureThreshold` times in a row; like `readiness`, a failed attempt the policy may restart. */
export const STOP_REASONS = ['user', 'timeout', 'interrupt', 'readiness', 'shutdown', 'restart', 'unhealthy'] as const;
export const HEALTH_STATES = ['starting', 'healthy', 'unhealthy'] as const;

/** Every event type, in catalogue order (a test keeps this equal to the schemas' keys). */
export const EVENT_TYPES = [
  'RunRequested',
  'ProcessSpawned',
  'ProcessSpawnFailed',
  'ProcessReady',
  'ReadinessFailed',
  'Checkpointed',
  'StopRequested',
  'SignalSent',
  'ProcessExited',
  'RunTimedOut',
  'RestartScheduled',
  'RunEnded',
  'ProcessAdopted',
  'ProcessMarkedStale',
  'ProcessStatusUnknown',
  'ExitRecovered',
  'SupervisorStarted',
  'SupervisorStopped',
  'ReconcileCompleted',
  'LedgerSalvaged',
  'ShimLost',
  'TreeReaped',
  'HealthCheckPassed',
  'HealthCheckFailed',
  'HealthRecovered',
  'LogsPruned',
  'StackApplied',
  'DependencyWaiting',
  'DependencySatisfied',
  'DependencyFailed',
  'RemoteCommandHandled',
] as const;

/** Events that end one process attempt; an attempt has exactly one of these. */
export const ATTEMPT_TERMINAL_TYPES = [
  'ProcessExited',
  'ExitRecovered',
  'ProcessMarkedStale',
  'ProcessStatusUnknown',
  'ProcessSpawnFailed',
] as const;
