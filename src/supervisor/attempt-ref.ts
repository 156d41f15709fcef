/** How a recorded attempt names its process to the runtime: identity, whole-tree ref, tracking kind. */
import type { AttemptState, RunState } from '../projections/run-state.js';
import type { AttemptRef, ProcessIdentity } from '../runtime/adapter.js';

export function identityOf(a: AttemptState): ProcessIdentity {
  return { pid: a.pid!, pgid: a.pgid!, startTime: a.startTime!, bootId: a.bootId! };
}

/** The attempt as the runtime's whole-tree operations name it. */
export function refOf(run: RunState, a: AttemptState): AttemptRef {
  return { runId: run.id, attempt: a.n, identity: identityOf(a), ...(a.shimPid ? { shimPid: a.shimPid } : {}) };
}

/** Attempts recorded before tracking was recorded were tracked by their group. */
export function trackingOf(a: AttemptState): 'cgroup' | 'process-group' {
  return a.tracking === 'cgroup' ? 'cgroup' : 'process-group';
}
