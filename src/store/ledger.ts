/**
 * The ledger core shared by the LevelDB and in-memory ledgers: the
 * EventStore contract implemented once over a LedgerBackend, so both
 * implementations follow the same rules by construction.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import { RunledgerError } from '../errors.js';
import type { EventEnvelope, NewEvent } from '../events/envelope.js';
import { prepareAppend } from './append-request.js';
import type { LedgerBackend, LoadedHead } from './backend.js';
import { decodeOrReport, decodeRecord, decodeRun } from './decode.js';
import type { AppendOptions, AppendResult, EventStore, Head, ReadOptions, Snapshot, StreamReadOptions, VerifyResult } from './event-store.js';
import type { LedgerDeps } from './options.js';
import { readOptions, streamReadOptions } from './read-options.js';
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
  let closed = false;
  let closing: Promise<void> | undefined;

  const assertOpen = () => {
    if (closed || closing) throw new RunledgerError('LEDGER_CLOSED', 'the ledger is closed');
  };
  const scanGate = { assertOpen, isClosed: () => closed };
  // Backend errors after close() are reported as LEDGER_CLOSED so callers branch on one code.
  const guard = async <T>(op: () => Promise<T>): Promise<T> => {
    assertOpen();
    try {
      return await op();
    } catch (err) {
      if (closed && !(err instanceof RunledgerError)) throw new RunledgerError('LEDGER_CLOSED', 'the ledger closed during the operation', {}, { cause: err });
      throw err;
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

  async function readStream(streamId: string, options?: StreamReadOptions): Promise<EventEnvelope[]> {
    const { fromVersion, direction, limit } = streamReadOptions(options);
    const positions = await backend.findStreamPositions(streamId, fromVersion, direction, limit);
    const records = await backend.readPositions(positions);
    const step = direction === 'forwards' ? 1 : -1;
    let firstVersion: number | undefined;
    const out: EventEnvelope[] = [];
    records.forEach((raw, i) => {
      if (!raw) throw new RunledgerError('CORRUPT_LEDGER', `stored event at position ${positions[i]} is missing`, { position: positions[i] });
      const onDamaged = options?.onDamaged;
      const e = onDamaged ? decodeOrReport(raw, deps.upcasters, onDamaged) : decodeRecord(raw, deps.upcasters);
      // A skipped record cannot be checked against the index; the ones around it still are.
      if (!e) return;
      firstVersion ??= direction === 'forwards' ? fromVersion : e.streamVersion + i;
      // The index is only a pointer: what it points at must be this stream's next version.
      if (e.streamId !== streamId || e.streamVersion !== firstVersion + i * step) {
        throw new RunledgerError('CORRUPT_LEDGER', `stream index of ${streamId} points to position ${raw.position}, which holds ${e.streamId}@${e.streamVersion}`, {
          streamId,
          position: raw.position,
        });
      }
      out.push(e);
    });
    return out;
  }

  async function append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    assertOpen();
    if (loaded.damage) {
      throw new RunledgerError('CORRUPT_LEDGER', `refusing to append to a damaged ledger: ${loaded.damage.reason}; run verify`, loaded.damage);
    }
    const outcome = await writer.submit(prepareAppend(streamId, events, options, deps));
    if (outcome.kind === 'write') {
      return { positions: outcome.envelopes.map((e) => e.position), streamVersion: outcome.streamVersion, events: outcome.envelopes, duplicate: false };
    }
    if (outcome.kind === 'error') throw outcome.error;
    return resolveDuplicate(streamId, outcome.positions);
  }

  async function resolveDuplicate(streamId: string, positions: number[]): Promise<AppendResult> {
    const originals = (await backend.readPositions(positions)).map((raw, i) => {
      if (!raw) throw new RunledgerError('CORRUPT_LEDGER', `stored event at position ${positions[i]} is missing`, { position: positions[i] });
      return decodeRecord(raw, deps.upcasters);
    });
    const foreign = originals.find((e) => e.streamId !== streamId);
    if (foreign) {
      throw new RunledgerError('EVENT_ID_CONFLICT', `event id ${foreign.id} is already stored in stream ${foreign.streamId}`, {
        id: foreign.id,
        streamId: foreign.streamId,
      });
    }
    return { positions, streamVersion: state.streamVersions.get(streamId) ?? (await backend.findStreamVersion(streamId)), events: originals, duplicate: true };
  }

  return {
    append: (streamId, events, options) => guard(() => append(streamId, events, options)),
    readAll: (options) => guard(() => readAll(options)),
    readStream: (streamId, options) => guard(() => readStream(streamId, options)),
    streamVersion: (streamId) => guard(async () => state.streamVersions.get(streamId) ?? backend.findStreamVersion(streamId)),
    head: () => guard(async (): Promise<Head> => ({ ...state.head })),
    verify: (options): Promise<VerifyResult> => guard(() => verifyLedger(backend, state.head, options?.from)),
    readSnapshot: <S>(name: string) =>
      guard(async () => {
        assertSnapshotName(name);
        const json = await backend.readSnapshot(name);
        return json === undefined ? undefined : (JSON.parse(json) as Snapshot<S>);
      }),
    writeSnapshot: (name, snapshot) =>
      guard(() => {
        assertSnapshotName(name);
        return backend.writeSnapshot(name, JSON.stringify(snapshot));
      }),
    subscribeAll: (options): Observable<EventEnvelope> =>
      subscribeFrom(
        { head$, readPage: (from, limit) => readAll({ from, limit }), isClosed: () => closing !== undefined },
        options?.from,
        tuning.subscribePageSize,
      ),
    scan: (options) => scanEvents(backend, deps.upcasters, options, scanGate),
    scanStored: (options) => scanStoredLines(backend, options, scanGate),
    close() {
      closing ??= (async () => {
        await writer.idle();
        closed = true;
        head$.complete();
        await backend.close();
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
