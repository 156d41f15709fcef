/**
 * The append and subscription rules of issue 10, run against every backend
 * like the EventStore contract: what counts as a duplicate append, which
 * stream ids are acceptable, and how a subscription ends on close.
 */
import { describe, expect, it } from 'vitest';
import type { OpenStore } from './contract.js';
import type { Tamper } from './integrity-contract.js';
import { rejectionOf, started, startedMany, ulidFor, until } from './helpers.js';

type Store = Awaited<ReturnType<OpenStore>>;

export function appendRulesContract(name: string, open: OpenStore, tamper: Tamper): void {
  describe(`${name} keeps the append and subscription rules`, () => {
    const withStore = async (fn: (store: Store) => Promise<Store | void>) => {
      let store = await open();
      try {
        store = (await fn(store)) ?? store;
      } finally {
        await store.close();
      }
    };
    const seed = async (store: Store) => {
      await store.append('a', [{ ...started(1), id: ulidFor(1) }]);
      await store.append('b', [{ ...started(2), id: ulidFor(2) }]);
      await store.append('a', [{ ...started(3), id: ulidFor(3) }]);
    };

    describe('idempotency compares content, not only ids', () => {
      it('the same id with other data is EVENT_ID_CONFLICT', () =>
        withStore(async (store) => {
          await store.append('s', [{ ...started(1), id: ulidFor(1) }]);
          const err = await rejectionOf(store.append('s', [{ ...started(2), id: ulidFor(1) }]));
          expect(err).toMatchObject({ code: 'EVENT_ID_CONFLICT', details: { id: ulidFor(1), position: 1 } });
          expect((await store.head()).position).toBe(1);
        }));

      it('the same id with another type is EVENT_ID_CONFLICT', () =>
        withStore(async (store) => {
          await store.append('s', [{ ...started(1), id: ulidFor(1) }]);
          const other = {
            type: 'SupervisorStopped',
            data: { supervisorId: 'sup-1', reason: 'signal', leftRunning: 0 },
            id: ulidFor(1),
          } as const;
          expect(await rejectionOf(store.append('s', [other as never]))).toMatchObject({ code: 'EVENT_ID_CONFLICT' });
        }));

      it('the same content with data keys in another order is still a duplicate', () =>
        withStore(async (store) => {
          const e = { ...started(1), id: ulidFor(1) };
          const first = await store.append('s', [e]);
          const reordered = Object.fromEntries(Object.entries(e.data).reverse());
          const retry = await store.append('s', [{ ...e, data: reordered } as typeof e]);
          expect(retry).toMatchObject({ duplicate: true, positions: first.positions });
        }));

      it('a stray ids entry does not make an append "succeed" as a duplicate of another event', () =>
        withStore(async (store) => {
          await seed(store);
          const edited = await tamper(store, { ids: [{ id: ulidFor(9), position: 2 }] });
          const err = await rejectionOf(edited.append('b', [{ ...started(2), id: ulidFor(9) }]));
          expect(err).toMatchObject({ code: 'CORRUPT_LEDGER', details: { position: 2 } });
          return edited;
        }));
    });

    describe('stream ids are well-formed UTF-16 (no lone surrogates)', () => {
      for (const [label, id] of [
        ['a lone high surrogate', 'run-\ud800'],
        ['a lone low surrogate', 'run-\udfff'],
        ['a reversed pair', 'run-\ude00\ud83d'],
      ] as const) {
        it(`rejects ${label} with INVALID_STREAM_ID on append and read`, () =>
          withStore(async (store) => {
            expect(await rejectionOf(store.append(id, [started()]))).toMatchObject({ code: 'INVALID_STREAM_ID' });
            expect(await rejectionOf(store.readStream(id))).toMatchObject({ code: 'INVALID_STREAM_ID' });
            expect(await rejectionOf(store.streamVersion(id))).toMatchObject({ code: 'INVALID_STREAM_ID' });
            expect((await store.head()).position).toBe(0);
          }));
      }

      it('two ids differing only in lone surrogates cannot collide', () =>
        withStore(async (store) => {
          await store.append('x-\ud83d\ude00', [started(1)]);
          await store.append('x-\ud83d\ude01', [started(2)]);
          expect(await store.streamVersion('x-\ud83d\ude00')).toBe(1);
          expect((await store.readStream('x-\ud83d\ude01')).map((e) => e.streamId)).toEqual(['x-\ud83d\ude01']);
          await expect(store.append('x-\ud800', [started(3)])).rejects.toMatchObject({ code: 'INVALID_STREAM_ID' });
          await expect(store.append('x-\udbff', [started(4)])).rejects.toMatchObject({ code: 'INVALID_STREAM_ID' });
        }));
    });

    describe('a subscription closed with the store: everything durable, or LEDGER_CLOSED', () => {
      type Outcome = { seen: number[]; completed: boolean; error?: { code?: string } };
      const follow = (store: Store, from = 1) => {
        const o: Outcome = { seen: [], completed: false };
        store.subscribeAll({ from }).subscribe({
          next: (e) => o.seen.push(e.position),
          complete: () => (o.completed = true),
          error: (err: { code?: string }) => (o.error = err),
        });
        return o;
      };
      const settled = (o: Outcome) => until(() => o.completed || o.error !== undefined, 'the subscription to end');

      it('a live subscriber closed right after an append receives that event, then completes', async () => {
        for (let trial = 0; trial < 10; trial++) {
          const store = await open();
          await store.append('s', startedMany(2));
          const o = follow(store);
          await until(() => o.seen.length === 2, 'catch-up');
          await store.append('s', [started(3)]);
          await store.close();
          await settled(o);
          expect(o).toEqual({ seen: [1, 2, 3], completed: true });
        }
      });

      it('a subscriber still catching up when an append and a close follow: all three events, or LEDGER_CLOSED', async () => {
        for (let trial = 0; trial < 10; trial++) {
          const store = await open();
          await store.append('s', startedMany(2));
          const o = follow(store);
          await store.append('s', [started(3)]);
          await store.close();
          await settled(o);
          if (o.completed) expect(o.seen).toEqual([1, 2, 3]);
          else expect(o.error).toMatchObject({ code: 'LEDGER_CLOSED' });
        }
      });

      it('a subscription started while the store closes never completes without what is durable', async () => {
        const store = await open();
        await store.append('s', startedMany(3));
        const closing = store.close();
        const o = follow(store);
        await closing;
        await settled(o);
        if (o.completed) expect(o.seen).toEqual([1, 2, 3]);
        else expect(o.error).toMatchObject({ code: 'LEDGER_CLOSED' });
        const after = follow(store);
        await settled(after);
        expect(after).toMatchObject({ seen: [], completed: false, error: { code: 'LEDGER_CLOSED' } });
      });

      it('a subscriber behind the head at close either got everything or LEDGER_CLOSED', async () => {
        const store = await open();
        for (let i = 0; i < 5; i++) await store.append('s', startedMany(240, i * 240));
        const o = follow(store);
        await store.close();
        await settled(o);
        if (o.completed) expect(o.seen).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
        else expect(o.error).toMatchObject({ code: 'LEDGER_CLOSED' });
      });

      it('a caught-up subscriber of a store closed with nothing new completes', async () => {
        const store = await open();
        const o = follow(store);
        await store.close();
        await settled(o);
        expect(o).toEqual({ seen: [], completed: true });
      });
    });
  });
}
