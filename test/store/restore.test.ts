import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/store/level-store.js';
import { createMemoryLedger } from '../../src/store/memory-store.js';
import { restoreLedger } from '../../src/store/restore.js';
import { makeTempDir, rejectionOf, removeDir, started, startedMany } from './helpers.js';

describe('restoreLedger', () => {
  let dir: string;
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => removeDir(dir));

  it('copies stored records exactly; the result verifies, reads and appends', async () => {
    const source = createMemoryLedger();
    await source.append('supervisor', startedMany(3));
    await source.append('run-x', [started(9)]);
    const pages: string[][] = [];
    for await (const page of source.scanStored({ pageSize: 2 })) pages.push(page);
    const head = await restoreLedger(`${dir}/ledger`, pages);
    expect(head).toEqual(await source.head());
    const store = await openLedger({ dir: `${dir}/ledger` });
    try {
      expect(await store.verify()).toMatchObject({ ok: true, checked: 4 });
      expect(await store.readAll()).toEqual(await source.readAll());
      expect(await store.streamVersion('supervisor')).toBe(3);
      await store.append('supervisor', [started(4)], { expectedVersion: 3 });
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('refuses a ledger that holds events with LEDGER_NOT_EMPTY', async () => {
    const store = await openLedger({ dir: `${dir}/ledger` });
    await store.append('supervisor', [started(1)]);
    await store.close();
    expect(await rejectionOf(restoreLedger(`${dir}/ledger`, [[]]))).toMatchObject({ code: 'LEDGER_NOT_EMPTY' });
  });
});
