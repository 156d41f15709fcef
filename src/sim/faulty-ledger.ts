/**
 * A ledger whose disk can fail. The records live in one memory backend (the
 * "disk") that outlives supervisor crashes; each incarnation opens its own
 * ledger core over a faulty view of it, as a restarted daemon reopens
 * LevelDB. Faults are injected at the backend's durable write, so the real
 * group-commit writer turns them into what callers see:
 *
 * - `failNextWrite()`: the write throws; nothing is stored; every append of
 *   that batch rejects with RunledgerError LEDGER_IO.
 * - a crash gate (see SimSession) before the write (nothing stored) or after
 *   it ("crash after durable": the batch IS stored, but no caller ever hears back).
 */
import type { IdGenerator } from '../ids.js';
import type { Clock } from '../clock.js';
import type { LedgerBackend } from '../store/backend.js';
import { createLedger, type Ledger } from '../store/ledger.js';
import { createMemoryBackend, type MemoryBackend } from '../store/memory/backend.js';
import type { SimSession } from './sim-runtime.js';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

export class SimDisk {
  readonly backend: MemoryBackend = createMemoryBackend();
  private failures = 0;
  /** Durable writes that failed on purpose so far. */
  failedWrites = 0;

  /** The next `n` durable writes throw an I/O error and store nothing. */
  failNextWrite(n = 1): void {
    this.failures += n;
  }

  /** @internal */
  takeFailure(): boolean {
    if (this.failures === 0) return false;
    this.failures -= 1;
    this.failedWrites += 1;
    return true;
  }

  /** Open a ledger over this disk for one incarnation. */
  async open(session: SimSession, deps: { clock: Clock; ids: IdGenerator }): Promise<Ledger> {
    const view = faultyView(this, session);
    const loaded = await this.backend.loadHead();
    return createLedger(view, { clock: deps.clock, ids: deps.ids, upcasters: {} }, loaded);
  }
}

function faultyView(disk: SimDisk, session: SimSession): LedgerBackend {
  const b = disk.backend;
  // Reads of a dead incarnation hang like its writes: it is gone.
  const live =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (session.dead) return never();
      const r = await fn(...args);
      if (session.dead) return never();
      return r;
    };
  return {
    loadHead: live(() => b.loadHead()),
    findIds: live((ids) => b.findIds(ids)),
    findStreamVersion: live((id) => b.findStreamVersion(id)),
    async write(records, head) {
      if (session.dead) return never();
      if (disk.takeFailure()) throw Object.assign(new Error('EIO: simulated write failure'), { code: 'EIO' });
      const gate = session.gate('ledger write');
      if (gate === 'crash-before') {
        session.crash();
        return never();
      }
      await b.write(records, head);
      if (gate === 'crash-after') {
        session.crash();
        return never();
      }
      if (session.dead) return never();
    },
    readLog: live((from, dir, limit) => b.readLog(from, dir, limit)),
    readPositions: live((p) => b.readPositions(p)),
    findStreamPositions: live((id, v, d, l) => b.findStreamPositions(id, v, d, l)),
    scanLog: (from, size) => b.scanLog(from, size),
    scanStreamEntries: (size) => b.scanStreamEntries(size),
    scanIdEntries: (size) => b.scanIdEntries(size),
    findIndexEntries: live((r) => b.findIndexEntries(r)),
    readSnapshot: live((n) => b.readSnapshot(n)),
    writeSnapshot: live((n, j) => b.writeSnapshot(n, j)),
    close: async () => undefined,
  };
}
