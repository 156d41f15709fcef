/**
 * Read-side queries over a folded RunsState: list with filters, scoped
 * interrupt matching. getRun, stateAt and the RunView contract live in their
 * own files and are re-exported here so callers have one place to import from.
 */
import type { OwnerScope, RunStatus } from '../events/schemas.js';
import { isActive, type RunState } from './run-state.js';
import type { RunsState } from './runs.js';

export { getRun, type RunCandidate } from './get-run.js';
export { stateAt, type StateAtTarget } from './state-at.js';
export { toRunView, type RunView, type AttemptView } from './run-view.js';

export interface RunFilter {
  status?: RunStatus | RunStatus[];
  /** true: not yet terminal; false: terminal. */
  active?: boolean;
  /** Every given label must be present with this value. */
  label?: Record<string, string>;
  slot?: string;
  key?: string;
  /** Every given owner key must match. */
  owner?: Partial<OwnerScope>;
  batchId?: string;
  limit?: number;
  /** Creation order; default 'newest' first. */
  order?: 'newest' | 'oldest';
}

/** Runs matching every given filter field, in creation order (newest first by default). */
export function listRuns(state: RunsState, filter: RunFilter = {}): RunState[] {
  const statuses = filter.status === undefined ? undefined : new Set(Array.isArray(filter.status) ? filter.status : [filter.status]);
  const limit = filter.limit ?? Infinity;
  const newestFirst = (filter.order ?? 'newest') === 'newest';
  const out: RunState[] = [];
  const n = state.order.length;
  for (let i = 0; i < n && out.length < limit; i++) {
    const run = state.runs.get(state.order[newestFirst ? n - 1 - i : i]!)!;
    if (statuses && !statuses.has(run.status)) continue;
    if (filter.active !== undefined && isActive(run) !== filter.active) continue;
    if (filter.slot !== undefined && run.spec.slot !== filter.slot) continue;
    if (filter.key !== undefined && run.spec.key !== filter.key) continue;
    if (filter.batchId !== undefined && run.batchId !== filter.batchId) continue;
    if (filter.label && !matchesAll(run.spec.labels, filter.label)) continue;
    if (filter.owner && !matchesAll(run.spec.owner, filter.owner)) continue;
    out.push(run);
  }
  return out;
}

/**
 * Does a scoped interrupt reach this run? Every key given in `scope` must
 * equal the run's owner key. An empty scope matches nothing: "interrupt
 * everything" must never happen by omission.
 */
export function interruptMatches(run: RunState, scope: Partial<OwnerScope>): boolean {
  return givenEntries(scope).length > 0 && matchesAll(run.spec.owner, scope);
}

function matchesAll(actual: Readonly<Record<string, string | undefined>>, wanted: Readonly<Record<string, string | undefined>>): boolean {
  return givenEntries(wanted).every(([k, v]) => actual[k] === v);
}

/** Keys whose value is given; `{ turn: undefined }` says nothing about the turn. */
function givenEntries(o: Readonly<Record<string, string | undefined>>): [string, string][] {
  return Object.entries(o).filter((kv): kv is [string, string] => kv[1] !== undefined);
}
