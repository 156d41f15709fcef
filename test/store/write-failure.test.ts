/** A failed durable write rejects its whole batch with LEDGER_IO and leaves no trace: positions stay gap-free. */
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/events/envelope.js';
import type { LedgerBackend } from '../../src/store/backend.js';
import { createLedger } from '../../src/store/ledger.js';
import { createLevelBackend } from '../../src/store/level/backend.js';
import { createMemoryBackend } from '../../src/store/memory/backend.js';
import { normalizeLedgerOptions } from '../../src/store/options.js';
import { makeTempDir, rejectionOf, removeDir, started } from './helpers.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

/** Wraps a backend so the test can make its next write fail. */
function withFailingWrites(backend: LedgerBackend): { backend: LedgerBackend; failNext: () => void } {
  let fail = false;
  return {
    backend: {
      ...backend,
      async write(records, head) {
        if (fail) {
          fail = false;
          throw new Error('disk full');
        }
        return backend.write(records, head);
      },
    },
    failNext: () => (fail = true),
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
    it('rejects every append of the batch with LEDGER_IO and reuses their positions', async () => {
      const { backend, failNext } = withFailingWrites(await make());
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
        expect(reason).toMatchObject({ code: 'LEDGER_IO' });
        expect(reason.cause).toMatchObject({ message: 'disk full' });
      }
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
  });
}
