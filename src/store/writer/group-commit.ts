/**
 * Group commit: one durable write is in flight at a time; appends arriving
 * meanwhile queue up, and the next write takes the whole queue as one batch.
 * With sync writes costing milliseconds, this is what lets many concurrent
 * writers share one fsync instead of paying one each.
 */
import { RunledgerError } from '../../errors.js';
import type { AppendRequest } from '../append-request.js';
import { planAppend, type PlanOutcome, type WorkingState } from '../append-plan.js';
import type { LedgerBackend, StoredAppend } from '../backend.js';
import type { Head } from '../event-store.js';

export interface CommittedState {
  head: Head;
  /** Cache of stream versions known to be durable; filled lazily from the backend. */
  streamVersions: Map<string, number>;
}

interface Pending {
  request: AppendRequest;
  resolve: (outcome: PlanOutcome) => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitWriter {
  /** Resolves with the plan outcome once it is durable (or rejects with LEDGER_IO). */
  submit(request: AppendRequest): Promise<PlanOutcome>;
  /** Resolves when the queue is empty and no write is in flight. */
  idle(): Promise<void>;
  /** Number of backend writes so far (for tests and benchmarks). */
  readonly writes: number;
}

async function buildWorkingState(backend: LedgerBackend, state: CommittedState, batch: readonly Pending[]): Promise<WorkingState> {
  // One lookup per batch, not per append: uncached stream versions, and every caller-chosen id at once.
  const streamIds: string[] = [];
  const givenIds: string[] = [];
  for (const p of batch) {
    const { streamId, events } = p.request;
    if (!state.streamVersions.has(streamId) && !streamIds.includes(streamId)) streamIds.push(streamId);
    for (const e of events) if (e.givenId) givenIds.push(e.id);
  }
  // Most batches touch only cached streams and carry no caller ids: skip the extra await for them.
  if (streamIds.length > 0 || givenIds.length > 0) {
    const [versions, positions] = await Promise.all([
      Promise.all(streamIds.map((id) => backend.findStreamVersion(id))),
      givenIds.length > 0 ? backend.findIds(givenIds) : [],
    ]);
    streamIds.forEach((id, i) => state.streamVersions.set(id, versions[i]!));
    const working: WorkingState = { head: state.head, streamVersions: new Map(), ids: new Map() };
    givenIds.forEach((id, i) => positions[i] !== undefined && working.ids.set(id, positions[i]!));
    return fillVersions(working, state, batch);
  }
  return fillVersions({ head: state.head, streamVersions: new Map(), ids: new Map() }, state, batch);
}

function fillVersions(working: WorkingState, state: CommittedState, batch: readonly Pending[]): WorkingState {
  for (const p of batch) {
    const id = p.request.streamId;
    if (!working.streamVersions.has(id)) working.streamVersions.set(id, state.streamVersions.get(id)!);
  }
  return working;
}

export function createGroupCommitWriter(
  backend: LedgerBackend,
  state: CommittedState,
  onCommitted: (head: Head) => void,
): GroupCommitWriter {
  let queue: Pending[] = [];
  let running: Promise<void> | undefined;
  let writes = 0;

  async function runBatch(batch: Pending[]): Promise<void> {
    let working: WorkingState;
    try {
      working = await buildWorkingState(backend, state, batch);
    } catch (cause) {
      for (const p of batch) p.reject(new RunledgerError('LEDGER_IO', 'could not read the ledger index', {}, { cause }));
      return;
    }
    const outcomes: PlanOutcome[] = new Array(batch.length);
    const appends: StoredAppend[] = [];
    for (let i = 0; i < batch.length; i++) {
      const o = (outcomes[i] = planAppend(batch[i]!.request, working));
      if (o.kind === 'write') appends.push(o.append);
    }
    if (appends.length > 0) {
      try {
        writes += 1;
        await backend.write(appends, working.head);
      } catch (cause) {
        // Nothing of this batch is durable: drop the working state so the next batch reuses its positions.
        const io = new RunledgerError('LEDGER_IO', 'the ledger write failed; nothing from this batch was stored', {}, { cause });
        batch.forEach((p, i) => (outcomes[i]!.kind === 'error' ? p.reject((outcomes[i] as { error: unknown }).error) : p.reject(io)));
        return;
      }
      state.head = working.head;
      for (const [id, v] of working.streamVersions) state.streamVersions.set(id, v);
      onCommitted(state.head);
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.kind === 'error') p.reject(o.error);
      else p.resolve(o);
    });
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      await runBatch(batch);
    }
    running = undefined;
  }

  return {
    submit(request) {
      return new Promise<PlanOutcome>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        // Start on a microtask so appends issued in the same tick share the first write too.
        running ??= Promise.resolve().then(drain);
      });
    },
    async idle() {
      while (running) await running;
    },
    get writes() {
      return writes;
    },
  };
}
