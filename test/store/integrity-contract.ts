/**
 * The ledger's verify rules (issue 10), run against every backend like the
 * EventStore contract: the head it reports, the hash covering the whole
 * record, decoding every record, and indexes holding nothing else. Damage is
 * made through a backend-specific `Tamper`, below the core's rules (the
 * append and subscription rules are in append-rules-contract.ts).
 */
import { describe, expect, it } from 'vitest';
import { hashEvent, type UnhashedEnvelope } from '../../src/events/hash.js';
import type { EventStore, Head } from '../../src/store/event-store.js';
import type { OpenStore } from './contract.js';
import { started, ulidFor } from './helpers.js';

type Store = Awaited<ReturnType<OpenStore>>;

/** Raw writes into a store's storage, bypassing every rule of the core. */
export interface RawEdits {
  records?: { position: number; json: string }[];
  ids?: { id: string; position: number }[];
  streamEntries?: { streamId: string; firstVersion: number; position: number; count: number }[];
  head?: Head;
}

/** Applies raw edits (closing and reopening the store if the backend needs to) and returns the store to use. */
export type Tamper = (store: Store, edits: RawEdits) => Promise<Store>;

async function storedLines(store: EventStore): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const page of store.scanStored()) for (const json of page) out.push(JSON.parse(json) as Record<string, unknown>);
  return out;
}

/** Edit record `position` and re-link every later record, as a newer writer (or a careful forger) would. */
async function rewriteAndRechain(
  store: EventStore,
  position: number,
  edit: (r: Record<string, unknown>) => Record<string, unknown>,
): Promise<RawEdits> {
  const all = await storedLines(store);
  const records: RawEdits['records'] = [];
  let prevHash = String(all[position - 1]!.prevHash);
  for (let p = position; p <= all.length; p++) {
    const base = p === position ? edit(all[p - 1]!) : all[p - 1]!;
    const { hash: _old, ...rest } = { ...base, prevHash } as Record<string, unknown>;
    const hash = hashEvent(rest as unknown as UnhashedEnvelope);
    records.push({ position: p, json: JSON.stringify({ ...rest, hash }) });
    prevHash = hash;
  }
  return { records, head: { position: all.length, hash: prevHash } };
}

export function integrityContract(name: string, open: OpenStore, tamper: Tamper): void {
  describe(`${name} keeps the verify rules`, () => {
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

    describe('verify reports the head and its hash', () => {
      it('head is { position, hash }, equal to store.head()', () =>
        withStore(async (store) => {
          expect((await store.verify()).head).toEqual(await store.head());
          await seed(store);
          const head = await store.head();
          expect(await store.verify()).toEqual({ ok: true, checked: 3, head });
          expect(await store.verify({ from: 2 })).toEqual({ ok: true, checked: 2, head });
        }));
    });

    describe('the hash covers the whole stored record', () => {
      it('an extra field in a stored record fails verify, naming the position and field', () =>
        withStore(async (store) => {
          await seed(store);
          const [, second] = await storedLines(store);
          const edited = await tamper(store, { records: [{ position: 2, json: JSON.stringify({ ...second, note: 'forged' }) }] });
          const result = await edited.verify();
          expect(result).toMatchObject({ ok: false, firstBad: { position: 2, code: 'CORRUPT_LEDGER' } });
          expect(result.firstBad!.reason).toContain('note');
          return edited;
        }));

      it('an extra field is covered by the hash: adding one changes the record hash', () => {
        const base = {
          prevHash: '0'.repeat(64),
          position: 1,
          streamId: 's',
          streamVersion: 1,
          id: ulidFor(1),
          type: 'SupervisorStarted',
          time: 't',
          schemaVersion: 1,
          data: {},
        };
        expect(hashEvent({ ...base, extra: 1 } as unknown as UnhashedEnvelope)).not.toBe(hashEvent(base as unknown as UnhashedEnvelope));
        expect(hashEvent({ ...base, extra: 1 } as unknown as UnhashedEnvelope)).not.toBe(
          hashEvent({ ...base, extra: 2 } as unknown as UnhashedEnvelope),
        );
      });

      it('a null causationId (hashed like an absent one) fails verify', () =>
        withStore(async (store) => {
          await seed(store);
          const [first] = await storedLines(store);
          const edited = await tamper(store, { records: [{ position: 1, json: JSON.stringify({ ...first, causationId: null }) }] });
          expect(await edited.verify()).toMatchObject({ ok: false, firstBad: { position: 1, code: 'CORRUPT_LEDGER' } });
          return edited;
        }));
    });

    describe('verify decodes every record', () => {
      it('an unknown type written by a newer runledger is LEDGER_TOO_NEW with the type', () =>
        withStore(async (store) => {
          await seed(store);
          const edits = await rewriteAndRechain(store, 2, (r) => ({ ...r, type: 'FromTheFuture', data: { x: 1 } }));
          const edited = await tamper(store, edits);
          expect(await edited.verify()).toMatchObject({
            ok: false,
            firstBad: { position: 2, code: 'LEDGER_TOO_NEW', details: { type: 'FromTheFuture' } },
          });
          return edited;
        }));

      it('a schemaVersion above the known one is LEDGER_TOO_NEW with the version', () =>
        withStore(async (store) => {
          await seed(store);
          const edits = await rewriteAndRechain(store, 3, (r) => ({ ...r, schemaVersion: 7 }));
          const edited = await tamper(store, edits);
          expect(await edited.verify()).toMatchObject({
            ok: false,
            firstBad: { position: 3, code: 'LEDGER_TOO_NEW', details: { type: 'SupervisorStarted', schemaVersion: 7 } },
          });
          return edited;
        }));

      it('a payload that does not decode (hash chain intact) fails verify', () =>
        withStore(async (store) => {
          await seed(store);
          const edited = await tamper(store, await rewriteAndRechain(store, 1, (r) => ({ ...r, data: { pid: 'not a number' } })));
          expect(await edited.verify()).toMatchObject({ ok: false, firstBad: { position: 1, code: 'CORRUPT_LEDGER' } });
          return edited;
        }));
    });

    describe('verify walks the streams and ids indexes', () => {
      const cases: [string, RawEdits, number, RegExp][] = [
        [
          'an orphan streams entry (unknown stream)',
          { streamEntries: [{ streamId: 'ghost', firstVersion: 1, position: 2, count: 1 }] },
          2,
          /ghost/,
        ],
        [
          'an orphan streams entry past a stream end',
          { streamEntries: [{ streamId: 'b', firstVersion: 2, position: 3, count: 1 }] },
          3,
          /b@2/,
        ],
        [
          'a streams entry pointing at no record',
          { streamEntries: [{ streamId: 'ghost', firstVersion: 1, position: 40, count: 1 }] },
          40,
          /no record/,
        ],
        ['a stray ids entry (points at another event)', { ids: [{ id: ulidFor(9), position: 2 }] }, 2, new RegExp(ulidFor(9))],
        ['an orphan ids entry (points at no record)', { ids: [{ id: ulidFor(9), position: 40 }] }, 40, /no record/],
      ];
      for (const [label, edits, position, reason] of cases) {
        it(`finds ${label}`, () =>
          withStore(async (store) => {
            await seed(store);
            const edited = await tamper(store, edits);
            const result = await edited.verify();
            expect(result).toMatchObject({ ok: false, firstBad: { position, code: 'CORRUPT_LEDGER' } });
            expect(result.firstBad!.reason).toMatch(reason);
            return edited;
          }));
      }
    });
  });
}
