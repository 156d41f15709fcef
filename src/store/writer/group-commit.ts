/**
 * Group commit: one durable write is in flight at a time; appends arriving
 * meanwhile queue up, and the next write takes the whole queue as one batch.
 * With sync writes costing milliseconds, this is what lets many concurrent
 * writers share one fsync instead of paying one each.
 *
 * A failed write is not a failed batch (see in-doubt.ts): the writer reopens
 * the backend and settles the batch by its ids before it takes the next one.
 */
import { RunledgerError } from '../../errors.js';
import type { AppendRequest } from '../append-request.js';
import { planAppend, type PlanOutcome, type WorkingState } from '../append-plan.js';
import type { LedgerBackend, StoredAppend } from '../backend.js';
import type { Head } from '../event-store.js';
import { failedClosedError, inDoubtError, notStoredError, recoverFailedBatch } from './in-doubt.js';

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
  /** Set while the backend is being reopened after a failed write; reads wait for it. */
  readonly recovering: Promise<void> | undefined;
  /** Number of reopens so far: a read that failed across one is worth retrying. */
  readonly reopens: number;
  /** Set once a reopen failed: the ledger is closed for writes (and reads) from then on. */
  readonly failure: RunledgerError | undefined;
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
  let recovering: Promise<void> | undefined;
  let reopens = 0;
  let failure: RunledgerError | undefined;

  /** Publish a newly committed head: state first, then subscribers. */
  function commit(head: Head, versions?: Map<string, number>): void {
    state.head = head;
    if (versions) for (const [id, v] of versions) state.streamVersions.set(id, v);
    onCommitted(head);
  }

  /**
   * The write failed: its appends are in doubt until the backend is reopened
   * and their ids looked up. Queued appends wait (drain runs one batch at a time).
   */
  async function settleFailedWrite(
    batch: Pending[],
    outcomes: PlanOutcome[],
    appends: StoredAppend[],
    working: WorkingState,
    writeError: unknown,
  ): Promise<void> {
    let settled!: () => void;
    recovering = new Promise<void>((r) => (settled = r));
    try {
      const before = state.head;
      // Cached versions may describe the failed batch; they refill lazily from what is on disk.
      state.streamVersions.clear();
      const recovered = await recoverFailedBatch(backend, appends, before, working.head).catch((err: unknown) => {
        // Cannot check: say "in doubt", never "failed", and refuse everything after.
        failure = failedClosedError(err);
        rejectBatch(batch, outcomes, inDoubtError(writeError, err));
        return undefined;
      });
      reopens += 1;
      if (!recovered) return;
      if (recovered.fate === 'stored') {
        commit(recovered.head, working.streamVersions);
        settleBatch(batch, outcomes);
      } else {
        state.head = recovered.head;
        rejectBatch(batch, outcomes, notStoredError(writeError));
      }
    } finally {
      recovering = undefined;
      settled();
    }
  }

  /** Rejects every append of an unstored batch: with its own planned error if it had one, else `error`. */
  function rejectBatch(batch: Pending[], outcomes: PlanOutcome[], error: RunledgerError): void {
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      p.reject(o.kind === 'error' ? o.error : error);
    });
  }

  function settleBatch(batch: Pending[], outcomes: PlanOutcome[]): void {
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.kind === 'error') p.reject(o.error);
      else p.resolve(o);
    });
  }

  async function runBatch(batch: Pending[]): Promise<void> {
    if (failure) {
      for (const p of batch) p.reject(failure);
      return;
    }
    let working: WorkingState;
    try {
      await lockSharedHead();
      working = await buildWorkingState(backend, state, batch);
    } catch (cause) {
      await backend.unlockHead?.().catch(() => undefined);
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
        await settleFailedWrite(batch, outcomes, appends, working, cause);
        return;
      }
      commit(working.head, working.streamVersions);
    } else await backend.unlockHead?.().catch(() => undefined);
    settleBatch(batch, outcomes);
  }

  /**
   * A store other processes append to: plan against the head committed under
   * the shared lock, not the one this process last saw (its cached stream
   * versions are stale too once another writer moved the head).
   */
  async function lockSharedHead(): Promise<void> {
    if (!backend.lockHead) return;
    const fresh = await backend.lockHead();
    if (fresh.position !== state.head.position || fresh.hash !== state.head.hash) {
      state.head = fresh;
      state.streamVersions.clear();
      onCommitted(fresh);
    }
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
      if (failure) return Promise.reject(failure);
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
    get recovering() {
      return recovering;
    },
    get reopens() {
      return reopens;
    },
    get failure() {
      return failure;
    },
  };
}
