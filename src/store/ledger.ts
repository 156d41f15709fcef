/**
 * The ledger core shared by the LevelDB and in-memory ledgers: the
 * EventStore contract implemented once over a LedgerBackend, so both
 * implementations follow the same rules by construction.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import { RunledgerError } from '../errors.js';
import type { EventEnvelope, NewEvent } from '../events/envelope.js';
import { prepareAppend } from './append-request.js';
import { resolveDuplicate } from './duplicate-append.js';
import type { LedgerBackend, LoadedHead } from './backend.js';
import { decodeRun } from './decode.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  Head,
  ReadOptions,
  Snapshot,
  StreamReadOptions,
  VerifyResult,
} from './event-store.js';
import type { LedgerDeps } from './options.js';
import { readOptions } from './read-options.js';
import { assertWellFormedStreamId } from './keys.js';
import { readStreamRecords } from './stream-read.js';
import { subscribeFrom } from './subscribe.js';
import { verifyLedger } from './verify.js';
import { createGroupCommitWriter, type GroupCommitWriter } from './writer/group-commit.js';
import { scanEvents, scanStoredLines } from './scan.js';

/** An EventStore plus the internals tests and benchmarks look at. */
export interface Ledger extends EventStore {
  /** Number of durable batch writes so far: fewer than appends means group commit batched them. */
  readonly writeCount: number;
}

function assertSnapshotName(name: unknown): void {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('snapshot name must be a non-empty string');
}

/** Knobs for tests that want to exercise paging with small logs. */
export interface LedgerTuning {
  subscribePageSize?: number;
}

export function createLedger(backend: LedgerBackend, deps: LedgerDeps, loaded: LoadedHead, tuning: LedgerTuning = {}): Ledger {
  const state = { head: loaded.head, streamVersions: new Map<string, number>() };
  const head$ = new BehaviorSubject(loaded.head.position);
  const writer: GroupCommitWriter = createGroupCommitWriter(backend, state, (h) => head$.next(h.position));
  // Another process committed (the fleet's shared store): readers and live subscriptions move on with it.
  backend.watchHead?.((h) => {
    if (h.position <= state.head.position || closed) return;
    state.head = h;
    state.streamVersions.clear();
    head$.next(h.position);
  });
  let closed = false;
  let closing: Promise<void> | undefined;
  /** Set by close() once the writer is idle: no subscription read starts after it. */
  let subscriptionReadsStopped = false;
  /** Subscription page reads in flight: close() lets them finish, so a live subscriber gets the last batch. */
  const subscriptionReads = new Set<Promise<unknown>>();

  const assertOpen = () => {
    if (closed || closing) throw new RunledgerError('LEDGER_CLOSED', 'the ledger is closed');
  };
  const scanGate = {
    assertOpen: () => {
      assertOpen();
      if (writer.failure) throw writer.failure;
    },
    isClosed: () => closed,
  };
  // Backend errors after close() are reported as LEDGER_CLOSED so callers branch on one code.
  const guard = async <T>(op: () => Promise<T>): Promise<T> => {
    assertOpen();
    try {
      return await op();
    } catch (err) {
      if (closed && !(err instanceof RunledgerError))
        throw new RunledgerError('LEDGER_CLOSED', 'the ledger closed during the operation', {}, { cause: err });
      throw err;
    }
  };
  /**
   * A read waits while the writer reopens the backend after a failed write,
   * and is tried once more if a reopen closed the handle under it (reads are
   * idempotent; appends are not retried here: the writer settles those).
   */
  const guardRead = async <T>(op: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      assertOpen();
      if (writer.recovering) await writer.recovering;
      if (writer.failure) throw writer.failure;
      const reopens = writer.reopens;
      try {
        return await guard(op);
      } catch (err) {
        const raced = writer.recovering !== undefined || writer.reopens !== reopens;
        if (attempt === 0 && raced && !(err instanceof RunledgerError)) continue;
        throw err;
      }
    }
  };

  async function readAll(options?: ReadOptions): Promise<EventEnvelope[]> {
    const { from, direction, limit } = readOptions(options, state.head.position);
    // Cap at the announced head so a read never returns an event subscribers have not been told about.
    const count = direction === 'forwards' ? Math.min(limit, state.head.position - from + 1) : Math.min(limit, from);
    if (count <= 0) return [];
    const step = direction === 'forwards' ? 1 : -1;
    // decodeRun finds a hole inside the range; the length check finds one at its end.
    const events = decodeRun(await backend.readLog(from, direction, count), from, step, deps.upcasters);
    if (events.length < count) {
      const missing = from + events.length * step;
      throw new RunledgerError('CORRUPT_LEDGER', `stored event at position ${missing} is missing`, { position: missing });
    }
    return events;
  }

  function readStream(streamId: string, options?: StreamReadOptions): Promise<EventEnvelope[]> {
    return readStreamRecords(backend, deps, streamId, options);
  }

  async function append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    assertOpen();
    if (loaded.damage) {
      throw new RunledgerError(
        'CORRUPT_LEDGER',
        `refusing to append to a damaged ledger: ${loaded.damage.reason}; run verify`,
        loaded.damage,
      );
    }
    const request = prepareAppend(streamId, events, options, deps);
    const outcome = await writer.submit(request);
    if (outcome.kind === 'write') {
      return {
        positions: outcome.envelopes.map((e) => e.position),
        streamVersion: outcome.streamVersion,
        events: outcome.envelopes,
        duplicate: false,
      };
    }
    if (outcome.kind === 'error') throw outcome.error;
    return resolveDuplicate(backend, deps, request, outcome.positions, () => state.streamVersions.get(request.streamId));
  }

  function readSubscriptionPage(from: number, limit: number): Promise<EventEnvelope[]> {
    if (subscriptionReadsStopped) return Promise.reject(new RunledgerError('LEDGER_CLOSED', 'the ledger is closed'));
    const read = guardRead(() => readAll({ from, limit }));
    subscriptionReads.add(read);
    const forget = () => void subscriptionReads.delete(read);
    read.then(forget, forget);
    return read;
  }

  return {
    append: (streamId, events, options) => guard(() => append(streamId, events, options)),
    readAll: (options) => guardRead(() => readAll(options)),
    readStream: (streamId, options) => guardRead(() => readStream(streamId, options)),
    streamVersion: (streamId) =>
      guardRead(async () => {
        if (typeof streamId === 'string') assertWellFormedStreamId(streamId);
        return state.streamVersions.get(streamId) ?? backend.findStreamVersion(streamId);
      }),
    head: () => guardRead(async (): Promise<Head> => ({ ...state.head })),
    verify: (options): Promise<VerifyResult> =>
      guardRead(async () => {
        // With other writers (lockHead), this handle's head lags theirs until their notification arrives: ask the store.
        const reloadHead = backend.lockHead ? async () => (await backend.loadHead()).head : undefined;
        const head = reloadHead ? await reloadHead() : state.head;
        return verifyLedger(backend, head, { from: options?.from, upcasters: deps.upcasters, reloadHead });
      }),
    readSnapshot: <S>(name: string) =>
      guardRead(async () => {
        assertSnapshotName(name);
        const json = await backend.readSnapshot(name);
        return json === undefined ? undefined : (JSON.parse(json) as Snapshot<S>);
      }),
    writeSnapshot: (name, snapshot) =>
      guardRead(() => {
        assertSnapshotName(name);
        return backend.writeSnapshot(name, JSON.stringify(snapshot));
      }),
    subscribeAll: (options): Observable<EventEnvelope> =>
      subscribeFrom(
        { head$, readPage: readSubscriptionPage, isClosed: () => subscriptionReadsStopped },
        options?.from,
        tuning.subscribePageSize,
      ),
    scan: (options) => scanEvents(backend, deps.upcasters, options, scanGate),
    scanStored: (options) => scanStoredLines(backend, options, scanGate),
    close() {
      closing ??= (async () => {
        await writer.idle();
        subscriptionReadsStopped = true;
        await Promise.allSettled([...subscriptionReads]);
        closed = true;
        head$.complete();
        // After a failed reopen there is no open handle left to close.
        await backend.close().catch((err: unknown) => {
          if (!writer.failure) throw err;
        });
      })();
      return closing;
    },
    get closed() {
      return closing !== undefined;
    },
    get writeCount() {
      return writer.writes;
    },
  };
}
