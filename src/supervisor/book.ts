/**
 * The supervisor's view of the ledger: it appends decisions and folds what
 * the store returns into the live projection, strictly in position order.
 * Being the ledger's only writer (LevelDB's lock), it needs no read-back:
 * what it appended is exactly what the log holds.
 */
import { Subject } from 'rxjs';
import type { Clock } from '../clock.js';
import { isoTime } from '../clock.js';
import type { EventEnvelope, NewEvent, RunledgerEvent } from '../events/envelope.js';
import type { IdGenerator } from '../ids.js';
import { applyEvent, type RunsState } from '../projections/runs.js';
import type { RunState } from '../projections/run-state.js';
import type { EventStore, ExpectedVersion } from '../store/event-store.js';

export class Book {
  readonly events$ = new Subject<EventEnvelope>();
  readonly runs$ = new Subject<RunState>();
  /** Envelopes that arrived ahead of a gap (a concurrent batch not folded yet). */
  private early = new Map<number, EventEnvelope>();

  constructor(
    readonly store: EventStore,
    public state: RunsState,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly correlationId: string,
  ) {}

  /**
   * Append `events` to a stream with an expected-version guard and fold them.
   * Ids and times are stamped here, before the append, so a retried append
   * of the same batch is an idempotent no-op in the store.
   */
  async commit(
    streamId: string,
    events: readonly RunledgerEvent[],
    expectedVersion: ExpectedVersion,
    causationId?: string,
  ): Promise<EventEnvelope[]> {
    if (events.length === 0) return [];
    const time = isoTime(this.clock.now());
    const stamped: NewEvent[] = events.map((e) => ({
      ...e,
      id: this.ids.next(),
      time,
      correlationId: this.correlationId,
      ...(causationId ? { causationId } : {}),
    }));
    const result = await this.store.append(streamId, stamped, { expectedVersion });
    if (!result.duplicate) this.fold(result.events);
    return result.events;
  }

  private fold(envelopes: EventEnvelope[]): void {
    for (const e of envelopes) this.early.set(e.position, e);
    for (let next = this.early.get(this.state.position + 1); next; next = this.early.get(this.state.position + 1)) {
      this.early.delete(next.position);
      applyEvent(this.state, next);
      this.events$.next(next);
      const run = this.runOfStream(next.streamId);
      if (run) this.runs$.next(run);
    }
  }

  private runOfStream(streamId: string): RunState | undefined {
    return streamId.startsWith('run-') ? this.state.runs.get(streamId.slice(4)) : undefined;
  }

  run(id: string): RunState | undefined {
    return this.state.runs.get(id);
  }
}
