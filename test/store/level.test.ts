/** The LevelDB ledger: the shared contract, plus what only a durable store can promise. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom, toArray, take } from 'rxjs';
import { openLedger } from '../../src/store/level-store.js';
import type { EventStore } from '../../src/store/event-store.js';
import { padNumber } from '../../src/store/keys.js';
import { eventStoreContract } from './contract.js';
import { makeTempDir, rejectionOf, removeDir, started, startedMany, ulidFor } from './helpers.js';

const dirs: string[] = [];
const stores: EventStore[] = [];

async function freshDir(): Promise<string> {
  const dir = await makeTempDir();
  dirs.push(dir);
  return join(dir, 'ledger');
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map(removeDir));
});

eventStoreContract('level', async (options) => {
  const store = await openLedger({ dir: await freshDir(), ...options });
  stores.push(store);
  return store;
});

/** Edit the raw LevelDB of a closed ledger through a second handle. */
async function tamper(dir: string, fn: (db: ClassicLevel<string, string>) => Promise<void>): Promise<void> {
  const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  try {
    await fn(db);
  } finally {
    await db.close();
  }
}

const logKey = (p: number) => '!log!' + padNumber(p);

async function seed(dir: string, count: number): Promise<void> {
  const store = await openLedger({ dir });
  for (let i = 0; i < count; i++) await store.append(i % 2 ? 'a' : 'b', [started(i)]);
  await store.close();
}

describe('level ledger across reopen', () => {
  it('creates its directory with mode 0700', async () => {
    const dir = await freshDir();
    const store = await openLedger({ dir });
    await store.close();
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('keeps head, stream versions, positions and idempotency across reopen', async () => {
    const dir = await freshDir();
    const first = await openLedger({ dir });
    const original = await first.append('s', [{ ...started(1), id: ulidFor(1) }], { expectedVersion: 'no_stream' });
    await first.append('s', [started(2)], { expectedVersion: 'no_stream' }).catch(() => undefined);
    await first.append('t', startedMany(2));
    const head = await first.head();
    await first.close();

    const second = await openLedger({ dir });
    stores.push(second);
    expect(await second.head()).toEqual(head);
    expect(await second.streamVersion('s')).toBe(1);
    const retry = await second.append('s', [{ ...started(1), id: ulidFor(1) }], { expectedVersion: 'no_stream' });
    expect(retry).toMatchObject({ duplicate: true, positions: original.positions, events: original.events });
    expect(await rejectionOf(second.append('s', [started()], { expectedVersion: 'no_stream' }))).toMatchObject({ actual: 1 });
    expect((await second.append('s', [started()], { expectedVersion: 1 })).positions).toEqual([4]);
    expect((await second.readAll()).map((e) => e.position)).toEqual([1, 2, 3, 4]);
    expect((await second.verify()).ok).toBe(true);
  });

  it('refuses a second open of the same directory with LEDGER_LOCKED', async () => {
    const dir = await freshDir();
    const store = await openLedger({ dir });
    stores.push(store);
    const err = await rejectionOf(openLedger({ dir }));
    expect(err).toMatchObject({ code: 'LEDGER_LOCKED' });
    expect(err.message).toContain(dir);
    expect(err.message).toContain('runledger daemon stop');
  });
});

describe('level ledger reads validate what they decode', () => {
  it('a record that is not JSON is an error naming its position', async () => {
    const dir = await freshDir();
    await seed(dir, 4);
    await tamper(dir, (db) => db.put(logKey(2), '{not json'));
    const store = await openLedger({ dir });
    stores.push(store);
    expect(await rejectionOf(store.readAll())).toMatchObject({ code: 'CORRUPT_LEDGER', details: { position: 2 } });
    expect((await store.readAll({ from: 3 })).length).toBe(2);
    expect(await rejectionOf(firstValueFrom(store.subscribeAll().pipe(take(4), toArray())))).toMatchObject({ code: 'CORRUPT_LEDGER' });
  });

  it('an unknown type (LEDGER_TOO_NEW) or bad payload is an error naming its position', async () => {
    const dir = await freshDir();
    await seed(dir, 4);
    await tamper(dir, async (db) => {
      const three = JSON.parse((await db.get(logKey(3)))!);
      await db.put(logKey(3), JSON.stringify({ ...three, type: 'Bogus' }));
      const four = JSON.parse((await db.get(logKey(4)))!);
      await db.put(logKey(4), JSON.stringify({ ...four, data: { pid: -1 } }));
    });
    const store = await openLedger({ dir });
    stores.push(store);
    const unknown = await rejectionOf(store.readAll());
    expect(unknown).toMatchObject({ code: 'LEDGER_TOO_NEW' });
    expect(unknown.message).toContain('position 3');
    const invalid = await rejectionOf(store.readAll({ from: 4 }));
    expect(invalid).toMatchObject({ code: 'INVALID_EVENT' });
    expect(invalid.message).toContain('position 4');
    await expect(
      (async () => {
        for await (const _ of store.scan()) void _;
      })(),
    ).rejects.toMatchObject({ code: 'LEDGER_TOO_NEW' });
  });

  it('with onDamaged, scan and readStream skip a record that does not decode and report it; a hole still fails', async () => {
    const dir = await freshDir();
    await seed(dir, 6);
    await tamper(dir, async (db) => {
      const three = JSON.parse((await db.get(logKey(3)))!);
      await db.put(logKey(3), JSON.stringify({ ...three, schemaVersion: 7 }));
    });
    const store = await openLedger({ dir });
    stores.push(store);
    const damaged: unknown[] = [];
    const positions: number[] = [];
    for await (const page of store.scan({ pageSize: 2, onDamaged: (d) => damaged.push(d) })) positions.push(...page.map((e) => e.position));
    expect(positions).toEqual([1, 2, 4, 5, 6]);
    expect(damaged).toEqual([{ position: 3, code: 'LEDGER_TOO_NEW', message: expect.stringContaining('schemaVersion 7') }]);
    // Stream b holds positions 1, 3, 5.
    const fromB: unknown[] = [];
    expect((await store.readStream('b', { onDamaged: (d) => fromB.push(d.position) })).map((e) => e.streamVersion)).toEqual([1, 3]);
    expect((await store.readStream('b', { direction: 'backwards', onDamaged: () => undefined })).map((e) => e.streamVersion)).toEqual([
      3, 1,
    ]);
    expect(fromB).toEqual([3]);
    await store.close();
    await tamper(dir, (db) => db.del(logKey(4)));
    const again = await openLedger({ dir });
    stores.push(again);
    await expect(
      (async () => {
        for await (const _ of again.scan({ onDamaged: () => undefined })) void _;
      })(),
    ).rejects.toMatchObject({ code: 'CORRUPT_LEDGER', details: { position: 4 } });
  });

  it('a deleted record is an error on read, not a shorter answer', async () => {
    const dir = await freshDir();
    await seed(dir, 4);
    await tamper(dir, (db) => db.del(logKey(2)));
    const store = await openLedger({ dir });
    stores.push(store);
    expect(await rejectionOf(store.readAll())).toMatchObject({ code: 'CORRUPT_LEDGER', details: { position: 2 } });
  });
});

describe('level ledger verify detects tampering', () => {
  async function verifyAfter(edit: (db: ClassicLevel<string, string>) => Promise<void>) {
    const dir = await freshDir();
    await seed(dir, 6);
    const clean = await openLedger({ dir });
    expect(await clean.verify()).toMatchObject({ ok: true, checked: 6, head: { position: 6 } });
    await clean.close();
    await tamper(dir, edit);
    const store = await openLedger({ dir });
    stores.push(store);
    return store.verify();
  }

  it('an edited record', async () => {
    const result = await verifyAfter(async (db) => {
      const e = JSON.parse((await db.get(logKey(3)))!);
      await db.put(logKey(3), JSON.stringify({ ...e, data: { ...e.data, pid: 4242 } }));
    });
    expect(result).toMatchObject({ ok: false, checked: 2, firstBad: { position: 3 } });
    expect(result.firstBad!.reason).toMatch(/hash/);
  });

  it('an edited record whose hash was recomputed breaks the next link', async () => {
    const { hashEvent } = await import('../../src/events/hash.js');
    const result = await verifyAfter(async (db) => {
      const e = JSON.parse((await db.get(logKey(3)))!);
      const edited = { ...e, data: { ...e.data, pid: 4242 } };
      edited.hash = hashEvent(edited);
      await db.put(logKey(3), JSON.stringify(edited));
    });
    expect(result).toMatchObject({ ok: false, firstBad: { position: 4 } });
  });

  it('a deleted record', async () => {
    const result = await verifyAfter((db) => db.del(logKey(4)));
    expect(result).toMatchObject({ ok: false, checked: 3, firstBad: { position: 4 } });
  });

  it('a deleted last record (truncation)', async () => {
    const result = await verifyAfter((db) => db.del(logKey(6)));
    expect(result).toMatchObject({ ok: false, firstBad: { position: 6 } });
  });

  it('two records swapped', async () => {
    const result = await verifyAfter(async (db) => {
      const [two, five] = await db.getMany([logKey(2), logKey(5)]);
      await db.batch().put(logKey(2), five!).put(logKey(5), two!).write();
    });
    expect(result).toMatchObject({ ok: false, firstBad: { position: 2 } });
  });

  it('a stream index entry pointing elsewhere', async () => {
    const result = await verifyAfter(async (db) => {
      const e = JSON.parse((await db.get(logKey(5)))!);
      await db.put(`!streams!${e.streamId}\x00${padNumber(e.streamVersion)}`, '{"position":1,"count":1}');
    });
    expect(result).toMatchObject({ ok: false, firstBad: { position: 5 } });
  });

  it('a malformed stream index entry', async () => {
    const result = await verifyAfter(async (db) => {
      const e = JSON.parse((await db.get(logKey(5)))!);
      await db.put(`!streams!${e.streamId}\x00${padNumber(e.streamVersion)}`, '1');
    });
    expect(result).toMatchObject({ ok: false, firstBad: { position: 5 } });
  });

  it('a deleted stream index entry', async () => {
    const result = await verifyAfter(async (db) => {
      const e = JSON.parse((await db.get(logKey(4)))!);
      await db.del(`!streams!${e.streamId}\x00${padNumber(e.streamVersion)}`);
    });
    expect(result).toMatchObject({ ok: false, firstBad: { position: 4 } });
  });

  it('a stream index entry that claims more events than the stream has', async () => {
    const result = await verifyAfter(async (db) => {
      const e = JSON.parse((await db.get(logKey(6)))!);
      await db.put(`!streams!${e.streamId}\x00${padNumber(e.streamVersion)}`, '{"position":6,"count":2}');
    });
    expect(result).toMatchObject({ ok: false, firstBad: { position: 6 } });
    expect(result.firstBad!.reason).toMatch(/claims/);
  });
});

describe('level ledger streams index (one entry per append call)', () => {
  it('reads a stream from any version, both ways, across multi-event appends', async () => {
    const dir = await freshDir();
    const store = await openLedger({ dir });
    stores.push(store);
    await store.append('s', startedMany(3));
    await store.append('t', startedMany(2));
    await store.append('s', startedMany(1, 3));
    await store.append('s', startedMany(4, 4));
    const all = (await store.readStream('s')).map((e) => e.position);
    expect(all).toEqual([1, 2, 3, 6, 7, 8, 9, 10]);
    for (let v = 1; v <= 9; v++) {
      expect((await store.readStream('s', { fromVersion: v, limit: 3 })).map((e) => e.streamVersion)).toEqual(
        [v, v + 1, v + 2].filter((x) => x <= 8),
      );
      expect((await store.readStream('s', { fromVersion: v, direction: 'backwards', limit: 3 })).map((e) => e.streamVersion)).toEqual(
        [0, 1, 2].map((k) => Math.min(v, 8) - k).filter((x) => x >= 1),
      );
    }
    expect(await store.streamVersion('s')).toBe(8);
    expect(await store.verify()).toEqual({ ok: true, checked: 10, head: await store.head() });
    await store.close();
    const again = await openLedger({ dir });
    stores.push(again);
    expect(await again.streamVersion('s')).toBe(8);
    expect((await again.append('s', [started()], { expectedVersion: 8 })).streamVersion).toBe(9);
  });

  it('an overlapping entry is CORRUPT_LEDGER on read and found by verify', async () => {
    const dir = await freshDir();
    const seeded = await openLedger({ dir });
    await seeded.append('s', startedMany(3));
    await seeded.close();
    // Versions 2..3 claimed again by an extra entry: a read would see them twice.
    await tamper(dir, (db) => db.put(`!streams!s\x00${padNumber(2)}`, '{"position":2,"count":2}'));
    const store = await openLedger({ dir });
    stores.push(store);
    expect(await rejectionOf(store.readStream('s'))).toMatchObject({ code: 'CORRUPT_LEDGER' });
    expect(await store.verify()).toMatchObject({ ok: false, firstBad: { position: 2 } });
  });

  it('an entry pointing at another stream is CORRUPT_LEDGER on read', async () => {
    const dir = await freshDir();
    await seed(dir, 4);
    await tamper(dir, (db) => db.put(`!streams!a\x00${padNumber(2)}`, '{"position":3,"count":1}'));
    const store = await openLedger({ dir });
    stores.push(store);
    expect(await rejectionOf(store.readStream('a'))).toMatchObject({ code: 'CORRUPT_LEDGER' });
  });
});

describe('level ledger layout version', () => {
  it('records its layout on creation and reopens it', async () => {
    const dir = await freshDir();
    await seed(dir, 1);
    let layout: string | undefined;
    await tamper(dir, async (db) => {
      layout = await db.get('!meta!layout');
    });
    expect(layout).toBe('2');
    const store = await openLedger({ dir });
    stores.push(store);
    expect((await store.readAll()).length).toBe(1);
  });

  it('refuses an unknown layout with CORRUPT_LEDGER', async () => {
    const dir = await freshDir();
    await seed(dir, 1);
    await tamper(dir, (db) => db.put('!meta!layout', '99'));
    const err = await rejectionOf(openLedger({ dir }));
    expect(err).toMatchObject({ code: 'CORRUPT_LEDGER' });
    expect(err.message).toContain('layout "99"');
    // The refused open released the directory.
    await tamper(dir, (db) => db.put('!meta!layout', '2'));
  });

  it('refuses a ledger without a layout (written by the per-event layout 1)', async () => {
    const dir = await freshDir();
    await seed(dir, 1);
    await tamper(dir, (db) => db.del('!meta!layout'));
    const err = await rejectionOf(openLedger({ dir }));
    expect(err).toMatchObject({ code: 'CORRUPT_LEDGER' });
    expect(err.message).toContain('layout 1');
  });

  it('a damaged ledger refuses appends but still reads and verifies', async () => {
    const dir = await freshDir();
    await seed(dir, 3);
    await tamper(dir, (db) => db.del(logKey(3)));
    const store = await openLedger({ dir });
    stores.push(store);
    expect(await rejectionOf(store.append('s', [started()]))).toMatchObject({ code: 'CORRUPT_LEDGER' });
    expect((await store.verify()).ok).toBe(false);
  });
});
