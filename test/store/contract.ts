/**
 * The EventStore contract: one suite, run against every implementation
 * (level.test.ts, memory.test.ts), so both keep the same promises.
 */
import { describe, expect, it } from 'vitest';
import { firstValueFrom, take, toArray } from 'rxjs';
import { GENESIS_HASH, type NewEvent } from '../../src/events/envelope.js';
import { WrongExpectedVersionError } from '../../src/errors.js';
import type { EventStore } from '../../src/store/event-store.js';
import type { LedgerOptions } from '../../src/store/options.js';
import { fixedClock, rejectionOf, started, startedMany, ulidFor, until } from './helpers.js';

export type OpenStore = (options?: LedgerOptions) => Promise<EventStore & { readonly writeCount?: number }>;

async function withStore<T>(
  open: OpenStore,
  fn: (store: Awaited<ReturnType<OpenStore>>) => Promise<T>,
  options?: LedgerOptions,
): Promise<T> {
  const store = await open(options);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function eventStoreContract(name: string, open: OpenStore): void {
  describe(`${name} satisfies the EventStore contract`, () => {
    it('starts empty', () =>
      withStore(open, async (store) => {
        expect(await store.head()).toEqual({ position: 0, hash: GENESIS_HASH });
        expect(await store.readAll()).toEqual([]);
        expect(await store.readStream('nope')).toEqual([]);
        expect(await store.streamVersion('nope')).toBe(0);
        expect(await store.verify()).toEqual({ ok: true, checked: 0, head: { position: 0, hash: GENESIS_HASH } });
      }));

    it('assigns positions, versions, ids, times, schema versions and a hash chain', () => {
      const clock = fixedClock(Date.UTC(2025, 0, 2, 3, 4, 5));
      return withStore(
        open,
        async (store) => {
          const a = await store.append('s-a', startedMany(2), { expectedVersion: 'no_stream' });
          const b = await store.append('s-b', [{ ...started(3), causationId: 'c1', correlationId: 'k1' }]);
          expect(a.positions).toEqual([1, 2]);
          expect(a.streamVersion).toBe(2);
          expect(a.duplicate).toBe(false);
          expect(b.positions).toEqual([3]);
          const all = await store.readAll();
          expect(all.map((e) => [e.position, e.streamId, e.streamVersion])).toEqual([
            [1, 's-a', 1],
            [2, 's-a', 2],
            [3, 's-b', 1],
          ]);
          expect(all[0]!.prevHash).toBe(GENESIS_HASH);
          expect(all[1]!.prevHash).toBe(all[0]!.hash);
          expect(all[2]!.prevHash).toBe(all[1]!.hash);
          expect(all.every((e) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(e.id))).toBe(true);
          expect(new Set(all.map((e) => e.id)).size).toBe(3);
          expect(all[0]!.time).toBe('2025-01-02T03:04:05.000Z');
          expect(all[0]!.schemaVersion).toBe(1);
          expect(all[2]).toMatchObject({ causationId: 'c1', correlationId: 'k1' });
          expect(all).toEqual([...a.events, ...b.events]);
          expect(await store.head()).toEqual({ position: 3, hash: all[2]!.hash });
          expect(await store.streamVersion('s-a')).toBe(2);
        },
        { clock },
      );
    });

    describe('expected versions', () => {
      const cases: { expected: 'any' | 'no_stream' | 'exists' | number; before: number; ok: boolean }[] = [
        { expected: 'any', before: 0, ok: true },
        { expected: 'any', before: 2, ok: true },
        { expected: 'no_stream', before: 0, ok: true },
        { expected: 'no_stream', before: 1, ok: false },
        { expected: 'exists', before: 0, ok: false },
        { expected: 'exists', before: 3, ok: true },
        { expected: 0, before: 0, ok: true },
        { expected: 2, before: 2, ok: true },
        { expected: 1, before: 2, ok: false },
        { expected: 3, before: 2, ok: false },
      ];
      for (const c of cases) {
        it(`${String(c.expected)} on a stream at version ${c.before} ${c.ok ? 'appends' : 'rejects'}`, () =>
          withStore(open, async (store) => {
            await store.append('other', [started(99)]);
            if (c.before > 0) await store.append('s', startedMany(c.before));
            const attempt = store.append('s', [started()], { expectedVersion: c.expected });
            if (c.ok) {
              expect((await attempt).streamVersion).toBe(c.before + 1);
              return;
            }
            const err = await rejectionOf(attempt);
            expect(err).toBeInstanceOf(WrongExpectedVersionError);
            expect(err).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', expected: c.expected, actual: c.before });
            expect(err.details).toMatchObject({ streamId: 's', expected: c.expected, actual: c.before });
            expect((await store.head()).position).toBe(1 + c.before);
          }));
      }

      it('rejects a malformed expected version as a programmer error', () =>
        withStore(open, async (store) => {
          await expect(store.append('s', [started()], { expectedVersion: -1 })).rejects.toBeInstanceOf(TypeError);
          await expect(store.append('s', [started()], { expectedVersion: 'later' as never })).rejects.toBeInstanceOf(TypeError);
        }));

      it('checks each queued append against the ones before it', () =>
        withStore(open, async (store) => {
          const results = await Promise.allSettled([
            store.append('s', [started(1)], { expectedVersion: 'no_stream' }),
            store.append('s', [started(2)], { expectedVersion: 'no_stream' }),
            store.append('s', [started(3)], { expectedVersion: 1 }),
            store.append('s', [started(4)], { expectedVersion: 2 }),
          ]);
          expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
          expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', actual: 1 });
          expect((await store.readStream('s')).map((e) => (e.data as { pid: number }).pid)).toEqual([1001, 1003, 1004]);
          expect((await store.readAll()).map((e) => e.position)).toEqual([1, 2, 3]);
        }));
    });

    describe('validation on append', () => {
      const bad: [string, string, () => NewEvent[]][] = [
        ['an unknown type', 'UNKNOWN_EVENT_TYPE', () => [{ type: 'NoSuchEvent', data: {} } as unknown as NewEvent]],
        ['a bad payload', 'INVALID_EVENT', () => [{ type: 'SupervisorStarted', data: { pid: 'x' } } as unknown as NewEvent]],
        ['a non-ULID id', 'INVALID_EVENT', () => [{ ...started(), id: 'not-a-ulid' }]],
        [
          'one bad event among good ones',
          'INVALID_EVENT',
          () => [started(1), { type: 'ProcessReady', data: { attempt: 0, via: 'line' } } as NewEvent],
        ],
        [
          'the same id twice',
          'INVALID_EVENT',
          () => [
            { ...started(1), id: ulidFor(1) },
            { ...started(2), id: ulidFor(1) },
          ],
        ],
        ['no events', 'INVALID_EVENT', () => []],
      ];
      for (const [label, code, events] of bad) {
        it(`rejects ${label} with ${code} and writes nothing`, () =>
          withStore(open, async (store) => {
            await store.append('s', [started()]);
            expect(await rejectionOf(store.append('s', events()))).toMatchObject({ code });
            expect((await store.head()).position).toBe(1);
            expect(await store.streamVersion('s')).toBe(1);
            const next = await store.append('s', [started()]);
            expect(next.positions).toEqual([2]);
          }));
      }

      for (const [label, streamId] of [
        ['empty', ''],
        ['too long', 'x'.repeat(201)],
        ['NUL-containing', 'a\x00b'],
      ] as const) {
        it(`rejects a ${label} stream id`, () =>
          withStore(open, async (store) => {
            expect(await rejectionOf(store.append(streamId, [started()]))).toMatchObject({ code: 'INVALID_EVENT' });
            expect((await store.head()).position).toBe(0);
          }));
      }

      it('accepts a 200-character stream id', () =>
        withStore(open, async (store) => {
          await store.append('x'.repeat(200), [started()]);
          expect(await store.streamVersion('x'.repeat(200))).toBe(1);
        }));
    });

    describe('idempotency', () => {
      it('a retry of stored ids is a no-op that returns the originals', () =>
        withStore(open, async (store) => {
          const events = [
            { ...started(1), id: ulidFor(1) },
            { ...started(2), id: ulidFor(2) },
          ];
          const first = await store.append('s', events, { expectedVersion: 'no_stream' });
          await store.append('s', [started(3)]);
          // The version check is skipped: the stream moved on because of this very append.
          const retry = await store.append('s', events, { expectedVersion: 'no_stream' });
          expect(retry.duplicate).toBe(true);
          expect(retry.positions).toEqual(first.positions);
          expect(retry.events).toEqual(first.events);
          expect(retry.streamVersion).toBe(3);
          expect((await store.head()).position).toBe(3);
        }));

      it('a retry inside the same batch is a duplicate of the first', () =>
        withStore(open, async (store) => {
          const events = [{ ...started(1), id: ulidFor(7) }];
          const [a, b] = await Promise.all([store.append('s', events), store.append('s', events)]);
          expect(a.duplicate).toBe(false);
          expect(b).toMatchObject({ duplicate: true, positions: a.positions });
          expect((await store.head()).position).toBe(1);
        }));

      it('some-but-not-all stored ids is EVENT_ID_CONFLICT', () =>
        withStore(open, async (store) => {
          await store.append('s', [{ ...started(1), id: ulidFor(1) }]);
          const err = await rejectionOf(
            store.append('s', [
              { ...started(1), id: ulidFor(1) },
              { ...started(2), id: ulidFor(2) },
            ]),
          );
          expect(err).toMatchObject({ code: 'EVENT_ID_CONFLICT' });
          expect((await store.head()).position).toBe(1);
        }));

      it('an id stored in another stream is EVENT_ID_CONFLICT', () =>
        withStore(open, async (store) => {
          await store.append('s', [{ ...started(1), id: ulidFor(1) }]);
          expect(await rejectionOf(store.append('t', [{ ...started(1), id: ulidFor(1) }]))).toMatchObject({ code: 'EVENT_ID_CONFLICT' });
          expect(await store.streamVersion('t')).toBe(0);
        }));
    });

    it('keeps positions gap-free across rejected appends', () =>
      withStore(open, async (store) => {
        for (let i = 0; i < 10; i++) {
          await store.append('s', [started(i)]);
          await store.append('s', [started(i)], { expectedVersion: 'no_stream' }).catch(() => undefined);
          await store.append('s', [{ type: 'Nope', data: {} } as unknown as NewEvent]).catch(() => undefined);
        }
        expect((await store.readAll()).map((e) => e.position)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
        expect((await store.verify()).ok).toBe(true);
      }));

    describe('reads', () => {
      async function seeded(store: EventStore): Promise<void> {
        for (let i = 1; i <= 10; i++) await store.append(i % 2 ? 'odd' : 'even', [started(i)]);
      }
      const positions = (events: { position: number }[]) => events.map((e) => e.position);

      it('readAll forwards, backwards, from and limit', () =>
        withStore(open, async (store) => {
          await seeded(store);
          expect(positions(await store.readAll({ from: 4, limit: 3 }))).toEqual([4, 5, 6]);
          expect(positions(await store.readAll({ direction: 'backwards', limit: 3 }))).toEqual([10, 9, 8]);
          expect(positions(await store.readAll({ direction: 'backwards', from: 2 }))).toEqual([2, 1]);
          expect(positions(await store.readAll({ direction: 'backwards', from: 50, limit: 1 }))).toEqual([10]);
          expect(await store.readAll({ from: 11 })).toEqual([]);
          expect(await store.readAll({ limit: 0 })).toEqual([]);
          expect(positions(await store.readAll({ from: 9 }))).toEqual([9, 10]);
        }));

      it('readStream forwards, backwards, fromVersion and limit', () =>
        withStore(open, async (store) => {
          await seeded(store);
          expect(positions(await store.readStream('odd'))).toEqual([1, 3, 5, 7, 9]);
          expect((await store.readStream('odd')).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
          expect(positions(await store.readStream('even', { fromVersion: 2, limit: 2 }))).toEqual([4, 6]);
          expect(positions(await store.readStream('even', { direction: 'backwards', limit: 2 }))).toEqual([10, 8]);
          expect(positions(await store.readStream('even', { direction: 'backwards', fromVersion: 2 }))).toEqual([4, 2]);
          expect(await store.readStream('even', { fromVersion: 6 })).toEqual([]);
          expect(await store.readStream('ev')).toEqual([]);
        }));

      it('scan pages through the whole log in order', () =>
        withStore(open, async (store) => {
          await seeded(store);
          const pages: number[][] = [];
          for await (const page of store.scan({ from: 2, pageSize: 4 })) pages.push(positions(page));
          expect(pages).toEqual([[2, 3, 4, 5], [6, 7, 8, 9], [10]]);
        }));
    });

    it('appends atomically: a multi-event append is all or nothing', () =>
      withStore(open, async (store) => {
        await store.append('s', startedMany(3));
        await store.append('s', startedMany(5), { expectedVersion: 2 }).catch(() => undefined);
        expect(await store.streamVersion('s')).toBe(3);
        const r = await store.append('s', startedMany(5), { expectedVersion: 3 });
        expect(r.positions).toEqual([4, 5, 6, 7, 8]);
      }));

    it('group commit: 64 concurrent appends share writes and get gap-free positions', () =>
      withStore(open, async (store) => {
        await store.append('warm', [started()]);
        const before = store.writeCount ?? 0;
        const results = await Promise.all(
          Array.from({ length: 64 }, (_, i) => store.append(`s-${i}`, [started(i)], { expectedVersion: 'no_stream' })),
        );
        const got = results.flatMap((r) => r.positions).sort((a, b) => a - b);
        expect(got).toEqual(Array.from({ length: 64 }, (_, i) => i + 2));
        if (store.writeCount !== undefined) expect(store.writeCount - before).toBeLessThan(64);
        expect((await store.verify()).ok).toBe(true);
      }));

    it('snapshots round-trip and are not part of the log', () =>
      withStore(open, async (store) => {
        expect(await store.readSnapshot('runs')).toBeUndefined();
        await store.writeSnapshot('runs', { position: 3, version: 2, state: { a: [1, 2] } });
        expect(await store.readSnapshot('runs')).toEqual({ position: 3, version: 2, state: { a: [1, 2] } });
        expect((await store.head()).position).toBe(0);
      }));

    it('verify is clean on a healthy log, from any position', () =>
      withStore(open, async (store) => {
        for (let i = 0; i < 5; i++) await store.append('s', startedMany(3, i * 3));
        const head = await store.head();
        expect(await store.verify()).toEqual({ ok: true, checked: 15, head });
        expect(await store.verify({ from: 7 })).toEqual({ ok: true, checked: 9, head });
      }));

    describe('subscribeAll', () => {
      it('catches up from history and continues live with no gap or duplicate', () =>
        withStore(open, async (store) => {
          await store.append('s', startedMany(5));
          const seen = firstValueFrom(store.subscribeAll({ from: 3 }).pipe(take(8), toArray()));
          const writers = [
            store.append('a', startedMany(2)),
            store.append('b', startedMany(2)),
            (async () => {
              await new Promise((r) => setTimeout(r, 5));
              await store.append('c', startedMany(2));
            })(),
          ];
          await Promise.all(writers);
          expect((await seen).map((e) => e.position)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
        }));

      it('stops on unsubscribe and completes when the store closes', async () => {
        const store = await open();
        await store.append('s', startedMany(2));
        const seen: number[] = [];
        let completed = false;
        const sub = store.subscribeAll().subscribe({ next: (e) => seen.push(e.position), complete: () => (completed = true) });
        const other: number[] = [];
        const sub2 = store.subscribeAll({ from: 2 }).subscribe((e) => other.push(e.position));
        await store.append('s', [started()]);
        await until(() => seen.length === 3 && other.length === 2, 'both subscribers to see position 3');
        sub2.unsubscribe();
        await store.append('s', [started()]);
        await until(() => seen.length === 4, 'the first subscriber to see position 4');
        await new Promise((r) => setTimeout(r, 10));
        expect(seen).toEqual([1, 2, 3, 4]);
        expect(other).toEqual([2, 3]);
        await store.close();
        expect(completed).toBe(true);
        sub.unsubscribe();
      });
    });

    describe('closed store', () => {
      it('rejects every operation with LEDGER_CLOSED', async () => {
        const store = await open();
        await store.append('s', [started()]);
        await store.close();
        expect(store.closed).toBe(true);
        const ops: [string, () => Promise<unknown>][] = [
          ['append', () => store.append('s', [started()])],
          ['readAll', () => store.readAll()],
          ['readStream', () => store.readStream('s')],
          ['streamVersion', () => store.streamVersion('s')],
          ['head', () => store.head()],
          ['verify', () => store.verify()],
          ['readSnapshot', () => store.readSnapshot('x')],
          ['writeSnapshot', () => store.writeSnapshot('x', { position: 0, version: 1, state: null })],
          [
            'scan',
            async () => {
              for await (const _ of store.scan()) void _;
            },
          ],
        ];
        for (const [label, op] of ops) expect([label, (await rejectionOf(op())).code]).toEqual([label, 'LEDGER_CLOSED']);
        // A subscription to a closed store cannot deliver the durable event: it says so instead of completing.
        let ended: { code?: string } | undefined;
        store.subscribeAll().subscribe({ error: (err: { code?: string }) => (ended = err) });
        await until(() => ended !== undefined, 'the subscription to end');
        expect(ended).toMatchObject({ code: 'LEDGER_CLOSED' });
        await store.close();
      });

      it('a scan cut short by close rejects with LEDGER_CLOSED', async () => {
        const store = await open();
        await store.append('s', startedMany(3));
        const pages = store.scan({ pageSize: 1 })[Symbol.asyncIterator]();
        expect((await pages.next()).value).toHaveLength(1);
        await store.close();
        expect(await rejectionOf(pages.next())).toMatchObject({ code: 'LEDGER_CLOSED' });
      });

      it('close waits for in-flight appends', async () => {
        const store = await open();
        const appends = Array.from({ length: 10 }, (_, i) => store.append('s', [started(i)]));
        const closing = store.close();
        const results = await Promise.all(appends);
        await closing;
        expect(results.map((r) => r.positions[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      });
    });
  });
}
