/**
 * A failed durable write leaves its batch *in doubt*: the store reopens the
 * backend, re-reads the head and settles each append by its event id. Stored
 * ones resolve; absent ones reject with LEDGER_IO; positions stay gap-free.
 * (test/store/fsync-fault.test.ts does the same with a real failing fdatasync.)
 */
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/events/envelope.js';
import type { LedgerBackend } from '../../src/store/backend.js';
import { createLedger } from '../../src/store/ledger.js';
import { createLevelBackend } from '../../src/store/level/backend.js';
import { createMemoryBackend } from '../../src/store/memory/backend.js';
import { normalizeLedgerOptions } from '../../src/store/options.js';
import { makeTempDir, rejectionOf, removeDir, started, until } from './helpers.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

/**
 * Wraps a backend so the test can make its next write fail: before storing
 * anything (`failNext`), or after the batch is stored (`failNextAfterStoring`,
 * what a failed fdatasync does to LevelDB), and make the next reopen fail.
 */
function withFailingWrites(backend: LedgerBackend) {
  let fail: 'before' | 'after' | undefined;
  let failReopen = false;
  let reopens = 0;
  let reopenGate: Promise<void> | undefined;
  let reopenStarted = false;
  const wrapped: LedgerBackend = {
    ...backend,
    async write(records, head) {
      const when = fail;
      fail = undefined;
      if (when === 'before') throw new Error('disk full');
      await backend.write(records, head);
      if (when === 'after') throw new Error('fdatasync: Input/output error');
    },
    async reopen() {
      reopens++;
      reopenStarted = true;
      if (reopenGate) await reopenGate;
      if (failReopen) throw new Error('reopen: Input/output error');
      await backend.reopen?.();
    },
  };
  return {
    backend: wrapped,
    failNext: () => (fail = 'before'),
    failNextAfterStoring: () => (fail = 'after'),
    failReopen: () => (failReopen = true),
    reopens: () => reopens,
    reopenStarted: () => reopenStarted,
    /** Holds the next reopen until the returned function is called. */
    holdReopen: () => {
      let release!: () => void;
      reopenGate = new Promise<void>((r) => (release = r));
      return release;
    },
  };
}

const backends: [string, () => Promise<LedgerBackend>][] = [
  ['memory', async () => createMemoryBackend()],
  [
    'level',
    async () => {
      const dir = await makeTempDir();
      dirs.push(dir);
      const db = new ClassicLevel<string, string>(join(dir, 'l'), { keyEncoding: 'utf8', valueEncoding: 'utf8' });
      await db.open();
      return createLevelBackend(db);
    },
  ],
];

for (const [name, make] of backends) {
  describe(`${name}: a failed batch write`, () => {
    it('rejects every append of a batch that was not stored with LEDGER_IO and reuses their positions', async () => {
      const { backend, failNext, reopens } = withFailingWrites(await make());
      const store = createLedger(backend, normalizeLedgerOptions(), { head: { position: 0, hash: GENESIS_HASH } });
      await store.append('s', [started(1)]);
      failNext();
      const failed = await Promise.allSettled([
        store.append('s', [started(2)], { expectedVersion: 1 }),
        store.append('t', [started(3)], { expectedVersion: 'no_stream' }),
        store.append('t', [started(4)], { expectedVersion: 1 }),
      ]);
      for (const r of failed) {
        expect(r.status).toBe('rejected');
        const reason = (r as PromiseRejectedResult).reason;
        expect(reason).toMatchObject({ code: 'LEDGER_IO', details: { stored: false } });
        expect(reason.cause).toMatchObject({ message: 'disk full' });
      }
      expect(reopens()).toBe(1);
      // In-memory head and stream versions were not advanced by the lost batch.
      expect(await store.head()).toMatchObject({ position: 1 });
      expect(await store.streamVersion('t')).toBe(0);
      const retried = await store.append('t', [started(3)], { expectedVersion: 'no_stream' });
      expect(retried.positions).toEqual([2]);
      expect(await rejectionOf(store.append('s', [started()], { expectedVersion: 2 }))).toMatchObject({ actual: 1 });
      expect((await store.readAll()).map((e) => e.position)).toEqual([1, 2]);
      expect((await store.verify()).ok).toBe(true);
      await store.close();
    });

    it('resolves the appends of a failed write that was stored anyway, and keeps appending', async () => {
      const { backend, failNextAfterStoring, reopens } = withFailingWrites(await make());
      const store = createLedger(backend, normalizeLedgerOptions(), { head: { position: 0, hash: GENESIS_HASH } });
      await store.append('s', [started(1)]);
      const seen: number[] = [];
      const sub = store.subscribeAll().subscribe((e) => seen.push(e.position));
      failNextAfterStoring();
      const [a, b, c] = await Promise.all([
        store.append('s', [started(2)], { expectedVersion: 1 }),
        store.append('t', [started(3), started(4)], { expectedVersion: 'no_stream' }),
        store.append('s', [started(5)], { expectedVersion: 2 }),
      ]);
      expect(reopens()).toBe(1);
      expect([a.positions, b.positions, c.positions]).toEqual([[2], [3, 4], [5]]);
      expect(b.streamVersion).toBe(2);
      expect(await store.head()).toMatchObject({ position: 5 });
      expect(await store.streamVersion('t')).toBe(2);
      // The next append works in the same process, after the recovered ones, without a gap.
      expect((await store.append('t', [started(6)], { expectedVersion: 2 })).positions).toEqual([6]);
      await until(() => seen.length === 6, 'the subscriber to see every stored event');
      sub.unsubscribe();
      expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await store.readAll()).map((e) => e.data)).toEqual([1, 2, 3, 4, 5, 6].map((n) => started(n).data));
      expect((await store.verify()).ok).toBe(true);
      await store.close();
    });

    it('holds appends and reads that arrive during the reopen, then serves them from the reopened ledger', async () => {
      const { backend, failNextAfterStoring, holdReopen, reopenStarted } = withFailingWrites(await make());
      const store = createLedger(backend, normalizeLedgerOptions(), { head: { position: 0, hash: GENESIS_HASH } });
      await store.append('s', [started(1)]);
      failNextAfterStoring();
      const release = holdReopen();
      const inDoubt = store.append('s', [started(2)], { expectedVersion: 1 });
      await until(reopenStarted, 'the writer to start reopening');
      const settled: string[] = [];
      const queued = store.append('s', [started(3)], { expectedVersion: 2 }).then((r) => (settled.push('queued'), r));
      const read = store.readAll().then((r) => (settled.push('read'), r));
      // Give both every chance to run early: nothing may settle while the reopen is held.
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(settled).toEqual([]);
      release();
      expect((await inDoubt).positions).toEqual([2]);
      expect((await queued).positions).toEqual([3]);
      // The read waited for the reopen; it may or may not also see the queued append, never a failure.
      expect([
        [1, 2],
        [1, 2, 3],
      ]).toContainEqual((await read).map((e) => e.position));
      expect((await store.verify()).ok).toBe(true);
      await store.close();
    });

    it('fails closed with LEDGER_IO when the reopen after a failed write fails too', async () => {
      const { backend, failNextAfterStoring, failReopen } = withFailingWrites(await make());
      const store = createLedger(backend, normalizeLedgerOptions(), { head: { position: 0, hash: GENESIS_HASH } });
      await store.append('s', [started(1)]);
      failNextAfterStoring();
      failReopen();
      const inDoubt = await rejectionOf(store.append('s', [started(2)]));
      // Stored or not cannot be known: the error says so instead of claiming the append failed.
      expect(inDoubt).toMatchObject({ code: 'LEDGER_IO', details: { inDoubt: true } });
      expect(inDoubt.message).toMatch(/may or may not be stored/);
      const later = await rejectionOf(store.append('s', [started(3)]));
      expect(later).toMatchObject({ code: 'LEDGER_IO', details: { failedClosed: true } });
      expect(await rejectionOf(store.readAll())).toMatchObject({ code: 'LEDGER_IO', details: { failedClosed: true } });
      expect(await rejectionOf(store.scan()[Symbol.asyncIterator]().next())).toMatchObject({
        code: 'LEDGER_IO',
        details: { failedClosed: true },
      });
      await store.close();
    });
  });
}
