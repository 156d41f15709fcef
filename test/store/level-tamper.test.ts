/**
 * Tampering with the LevelDB files themselves (raw keys, through a second
 * handle on a closed ledger): what verify must catch beyond the hash chain —
 * index entries no record uses, fields the envelope does not have — and what
 * an append must not do with a stray index entry.
 */
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterEach, describe, expect, it } from 'vitest';
import { hashEvent } from '../../src/events/hash.js';
import type { EventStore, VerifyResult } from '../../src/store/event-store.js';
import { padNumber } from '../../src/store/keys.js';
import { openLedger } from '../../src/store/level-store.js';
import { makeTempDir, rejectionOf, removeDir, started, ulidFor } from './helpers.js';

type Db = ClassicLevel<string, string>;

const dirs: string[] = [];
const stores: EventStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map(removeDir));
});

const logKey = (p: number) => '!log!' + padNumber(p);

/** Six single-event appends (ids ulidFor(1..6)) alternating streams b, a; verified clean; then `edit` on the raw database. */
async function ledgerAfter(edit: (db: Db) => Promise<void>): Promise<EventStore> {
  const root = await makeTempDir();
  dirs.push(root);
  const dir = join(root, 'ledger');
  const seeded = await openLedger({ dir });
  for (let i = 1; i <= 6; i++) await seeded.append(i % 2 ? 'b' : 'a', [{ ...started(i), id: ulidFor(i) }]);
  expect((await seeded.verify()).ok).toBe(true);
  await seeded.close();
  const db: Db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  try {
    await edit(db);
  } finally {
    await db.close();
  }
  const store = await openLedger({ dir });
  stores.push(store);
  return store;
}

function expectBad(result: VerifyResult, position: number, reason: RegExp): void {
  expect(result).toMatchObject({ ok: false, firstBad: { position, code: 'CORRUPT_LEDGER' } });
  expect(result.firstBad!.reason).toMatch(reason);
}

describe('level ledger: tampered indexes', () => {
  it('an orphan streams entry (a stream the log never had) fails verify', async () => {
    const store = await ledgerAfter((db) => db.put(`!streams!ghost\x00${padNumber(1)}`, '{"position":4,"count":1}'));
    expectBad(await store.verify(), 4, /ghost@1 points at position 4, which holds a@2/);
  });

  it('an orphan streams entry past the end of a stream fails verify', async () => {
    const store = await ledgerAfter((db) => db.put(`!streams!a\x00${padNumber(4)}`, '{"position":99,"count":1}'));
    expectBad(await store.verify(), 99, /a@4 points at position 99: no record there/);
  });

  it('a stray ids entry fails verify, and an append with that id is not taken for a duplicate', async () => {
    const store = await ledgerAfter((db) => db.put('!ids!' + ulidFor(42), '3'));
    expectBad(await store.verify(), 3, new RegExp(`${ulidFor(42)} points at position 3, which holds event ${ulidFor(3)}`));
    const err = await rejectionOf(store.append('b', [{ ...started(3), id: ulidFor(42) }]));
    expect(err).toMatchObject({ code: 'CORRUPT_LEDGER', details: { id: ulidFor(42), position: 3 } });
    expect((await store.head()).position).toBe(6);
  });

  it('an orphan ids entry (pointing past the log) fails verify', async () => {
    const store = await ledgerAfter((db) => db.put('!ids!' + ulidFor(42), '77'));
    expectBad(await store.verify(), 77, /no record there/);
  });
});

describe('level ledger: tampered records', () => {
  it('an extra field spliced into the stored JSON fails verify, naming it', async () => {
    const store = await ledgerAfter(async (db) => {
      const json = (await db.get(logKey(2)))!;
      await db.put(logKey(2), json.replace(',"prevHash":', ',"approvedBy":"mallory","prevHash":'));
    });
    expectBad(await store.verify(), 2, /unknown stored field "approvedBy"/);
  });

  it('an extra field fails verify even with the whole chain rehashed after it', async () => {
    const store = await ledgerAfter(async (db) => {
      let prevHash: string | undefined;
      for (let p = 2; p <= 6; p++) {
        const e = JSON.parse((await db.get(logKey(p)))!);
        if (p === 2) e.approvedBy = 'mallory';
        else e.prevHash = prevHash;
        const { hash: _old, ...rest } = e;
        e.hash = prevHash = hashEvent(rest);
        await db.put(logKey(p), JSON.stringify(e));
      }
      await db.put('!meta!head', JSON.stringify({ position: 6, hash: prevHash }));
    });
    expectBad(await store.verify(), 2, /approvedBy/);
  });

  it('the extra field is inside the hash: adding it without rehashing also breaks the record hash', async () => {
    const record = {
      position: 1,
      streamId: 's',
      streamVersion: 1,
      id: ulidFor(1),
      type: 'SupervisorStarted',
      data: {},
      time: 't',
      schemaVersion: 1,
      prevHash: '0'.repeat(64),
    };
    expect(hashEvent({ ...record, approvedBy: 'mallory' } as never)).not.toBe(hashEvent(record as never));
  });

  it('an edited record rehashed without rehashing the later records breaks the next link', async () => {
    const store = await ledgerAfter(async (db) => {
      const e = JSON.parse((await db.get(logKey(3)))!);
      e.data.hostname = 'elsewhere';
      const { hash: _old, ...rest } = e;
      e.hash = hashEvent(rest);
      await db.put(logKey(3), JSON.stringify(e));
    });
    const result = await store.verify();
    expect(result).toMatchObject({ ok: false, checked: 3, firstBad: { position: 4, code: 'CORRUPT_LEDGER' } });
    expect(result.firstBad!.reason).toMatch(/prevHash/);
  });
});
