/**
 * The live read model: snapshot + tail at start (paged scan, no per-event
 * observable overhead), then the log's subscription keeps `state` current.
 * Snapshots are written every `snapshotEvery` events or `snapshotIntervalMs`
 * (timers from the injected clock), and once more on close().
 *
 * @example
 * const runner = await createProjectionRunner({ store, clock: systemClock });
 * const { positions } = await store.append(stream, events);
 * await runner.waitFor(positions.at(-1)!);
 * runner.state.runs.get(runId);
 */
import { BehaviorSubject, EmptyError, firstValueFrom, first, Subject, type Observable, type Subscription } from 'rxjs';
import type { Clock, TimerHandle } from '../clock.js';
import { RunledgerError } from '../errors.js';
import type { EventEnvelope } from '../events/envelope.js';
import { runIdOfStream } from '../events/envelope.js';
import type { EventStore } from '../store/event-store.js';
import { catchUp, DEFAULT_PROJECTION_NAME, writeRunsSnapshot } from './catch-up.js';
import type { RunState } from './run-state.js';
import { applyEvent, type Anomaly, type RunsState } from './runs.js';

export interface ProjectionRunnerOptions {
  store: EventStore;
  clock: Clock;
  /** Write a snapshot after this many new events (default 1000). */
  snapshotEvery?: number;
  /** ...or after this long with unsnapshotted events (default 5000). */
  snapshotIntervalMs?: number;
  /** Snapshot name in the store (default 'runs'). */
  name?: string;
}

/** One applied event and what it did. */
export interface RunChange {
  event: EventEnvelope;
  /** The run after the event; undefined for supervisor-stream events. */
  run: RunState | undefined;
  /** Set when the event broke a rule and was recorded instead of applied. */
  anomaly: Anomaly | undefined;
}

export interface ProjectionRunner {
  /** The live fold; mutated in place as events arrive (RunState objects themselves are immutable). */
  readonly state: RunsState;
  /** Last folded position: the current one on subscribe, then each new one. */
  readonly position$: Observable<number>;
  /** Each event applied live (after start-up). */
  readonly changes$: Observable<RunChange>;
  /** Resolves once the fold has reached `position`; rejects LEDGER_CLOSED if it never will. */
  waitFor(position: number): Promise<void>;
  /** Stop following the log and write a final snapshot. Idempotent. */
  close(): Promise<void>;
}

function normalizeRunnerOptions(o: ProjectionRunnerOptions): Required<ProjectionRunnerOptions> {
  if (!o || typeof o.store?.subscribeAll !== 'function') throw new TypeError('createProjectionRunner: store is required');
  if (typeof o.clock?.setTimer !== 'function') throw new TypeError('createProjectionRunner: clock is required');
  const snapshotEvery = o.snapshotEvery ?? 1000;
  const snapshotIntervalMs = o.snapshotIntervalMs ?? 5000;
  if (!Number.isSafeInteger(snapshotEvery) || snapshotEvery < 1) throw new TypeError('snapshotEvery must be a positive integer');
  if (!(snapshotIntervalMs > 0)) throw new TypeError('snapshotIntervalMs must be positive');
  return { store: o.store, clock: o.clock, snapshotEvery, snapshotIntervalMs, name: o.name ?? DEFAULT_PROJECTION_NAME };
}

export async function createProjectionRunner(options: ProjectionRunnerOptions): Promise<ProjectionRunner> {
  const { store, clock, snapshotEvery, snapshotIntervalMs, name } = normalizeRunnerOptions(options);
  const { state, snapshotPosition } = await catchUp(store, name);
  const position$ = new BehaviorSubject(state.position);
  const changes$ = new Subject<RunChange>();
  let snapshotted = snapshotPosition;
  let writing: Promise<void> | undefined;
  let timer: TimerHandle | undefined;
  let closing: Promise<void> | undefined;
  let stopped = false;

  // Fire and forget: a snapshot is a cache, and a failed write is retried by the next trigger.
  const snapshotSoon = (): void => {
    if (writing || closing || store.closed || state.position <= snapshotted) return;
    const at = state.position;
    writing = writeRunsSnapshot(store, name, state)
      .then(
        () => void (snapshotted = at),
        () => undefined,
      )
      .finally(() => void (writing = undefined));
  };
  const armTimer = (): void => {
    if (stopped) return;
    timer = clock.setTimer(snapshotIntervalMs, () => {
      snapshotSoon();
      armTimer();
    });
  };

  const apply = (e: EventEnvelope): void => {
    // The subscription starts after our position, so an older event would be a store bug: applyEvent throws on gaps.
    const anomalies = state.anomalies.length;
    applyEvent(state, e);
    const runId = runIdOfStream(e.streamId);
    changes$.next({ event: e, run: runId ? state.runs.get(runId) : undefined, anomaly: state.anomalies[anomalies] });
    position$.next(state.position);
    if (state.position - snapshotted >= snapshotEvery) snapshotSoon();
  };
  const stop = (err?: unknown): void => {
    stopped = true;
    timer?.cancel();
    if (err === undefined) {
      position$.complete();
      changes$.complete();
    } else {
      position$.error(err);
      changes$.error(err);
    }
  };
  // `let`: a store may emit synchronously inside subscribe(), before the assignment.
  let subscription: Subscription | undefined;
  let failed = false;
  subscription = store.subscribeAll({ from: state.position + 1 }).subscribe({
    next: (e) => {
      if (failed) return;
      try {
        apply(e);
      } catch (err) {
        failed = true;
        subscription?.unsubscribe();
        stop(err);
      }
    },
    error: (err: unknown) => stop(err),
    complete: () => stop(),
  });
  if (failed) subscription.unsubscribe();
  armTimer();
  if (state.position - snapshotted >= snapshotEvery) snapshotSoon();

  return {
    state,
    position$: position$.asObservable(),
    changes$: changes$.asObservable(),
    waitFor(position) {
      if (state.position >= position) return Promise.resolve();
      return firstValueFrom(position$.pipe(first((p) => p >= position))).then(
        () => undefined,
        (err: unknown) => {
          if (!(err instanceof EmptyError)) throw err;
          throw new RunledgerError('LEDGER_CLOSED', `projection stopped at position ${state.position} before reaching ${position}`, {
            position: state.position,
            wanted: position,
          });
        },
      );
    },
    close() {
      closing ??= (async () => {
        subscription?.unsubscribe();
        stop();
        await writing;
        if (!store.closed && state.position > snapshotted) await writeRunsSnapshot(store, name, state);
      })();
      return closing;
    },
  };
}
