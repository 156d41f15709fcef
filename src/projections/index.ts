/** The read side: pure folds of the ledger, their snapshots, the live runner and the queries over them. */
export { evolveRun } from './evolve-run.js';
export {
  isActive,
  isTerminalStatus,
  liveAttempt,
  type AttemptState,
  type AttemptStatus,
  type RunState,
  type StopState,
} from './run-state.js';
export { applyEvent, foldRuns, initialRunsState, type Anomaly, type RunsState } from './runs.js';
export { shortIdOf, SHORT_ID_LENGTH } from './short-id.js';
export { describeExit, formatCommand, formatDuration } from './describe.js';
export { timelineOf, type TimelineEntry, type TimelineOptions } from './timeline.js';
export { deserializeRunsState, PROJECTION_VERSION, serializeRunsState, type SerializedRunsState } from './snapshot.js';
export { createProjectionRunner, type ProjectionRunner, type ProjectionRunnerOptions, type RunChange } from './runner.js';
export { loadRunsState, type LoadRunsStateOptions } from './load.js';
export { DEFAULT_PROJECTION_NAME } from './catch-up.js';
export {
  getRun,
  interruptMatches,
  listRuns,
  stateAt,
  toRunView,
  type AttemptView,
  type RunCandidate,
  type RunFilter,
  type RunView,
  type StateAtTarget,
} from './queries.js';
