/**
 * Snapshot + tail over a real LevelDB ledger: a snapshot is used only when
 * it checks out against the log, and a record that does not decode is
 * skipped into state.skipped instead of failing the fold.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { catchUp, foldTail, readUsableSnapshot, storedHashAt, writeRunsSnapshot } from '../../src/projections/catch-up.js';
import { initialRunsState, skipRecord } from '../../src/projections/runs.js';
import { serializeRunsState } from '../../src/projections/snapshot.js';
import { stateAt } from '../../src/projections/state-at.js';
import { openLedger } from '../../src/store/level-store.js';
import { editAndRechain, editSnapshotText, seedCompletedRuns } from '../support/ledger-tamper.js';
import { makeTempDir, removeDir } from '../store/helpers.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

async function seeded(runs: number): Promise<string> {
  const dir = await makeTempDir();
  dirs.push(dir);
  await seedCompletedRuns(dir, runs);
  return dir;
}

async function withStore<T>(dir: string, fn: (store: Awaited<ReturnType<typeof openLedger>>) => Promise<T>): Promise<T> {
  const store = await openLedger({ dir });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const key = randomBytes(32);

describe('checked snapshots', () => {
  it('a snapshot written with the key is used as is', async () => {
    const dir = await seeded(2);
    await withStore(dir, async (store) => {
      const { state } = await catchUp(store);
      await writeRunsSnapshot(store, 'runs', state, key);
      const loaded = await readUsableSnapshot(store, 'runs', Infinity, { key, onDiscard: (m) => expect.fail(m) });
      expect(serializeRunsState(loaded!)).toEqual(serializeRunsState(state));
      expect(await catchUp(store, 'runs', { key })).toMatchObject({ snapshotPosition: 8, folded: 0, discarded: false });
    });
  });

  it('an edited body, a log rewritten under it, or a snapshot past the head is discarded and said', async () => {
    const dir = await seeded(3);
    await withStore(dir, async (store) => writeRunsSnapshot(store, 'runs', (await catchUp(store)).state, key));
    await editSnapshotText(dir, (json) => json.replace(/completed/g, 'failed'));
    const said: string[] = [];
    await withStore(dir, async (store) => {
      expect(await readUsableSnapshot(store, 'runs', Infinity, { key, onDiscard: (m) => said.push(m) })).toBeUndefined();
      // Rebuilt from the log: nothing failed.
      const { state, discarded } = await catchUp(store, 'runs', { key });
      expect(discarded).toBe(true);
      expect([...state.runs.values()].map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
      await writeRunsSnapshot(store, 'runs', state, key);
    });
    expect(said).toEqual([expect.stringMatching(/at position 12 discarded: .*edited/)]);

    // The log's record at the snapshot's position is replaced (and the chain re-hashed): the snapshot no longer matches it.
    await editAndRechain(dir, 12, (rec) => ({ ...rec, data: { ...(rec.data as object), reason: 'rewritten' } }));
    await withStore(dir, async (store) => {
      const why: string[] = [];
      expect(await readUsableSnapshot(store, 'runs', Infinity, { key, onDiscard: (m) => why.push(m) })).toBeUndefined();
      expect(why).toEqual([expect.stringMatching(/event at position 12 is not the one it was taken at/)]);
    });

    const shorter = await seeded(2);
    await withStore(dir, async (store) => {
      const snap = await store.readSnapshot('runs');
      await withStore(shorter, async (s2) => {
        await s2.writeSnapshot('runs', snap!);
        const why: string[] = [];
        expect(await readUsableSnapshot(s2, 'runs', Infinity, { key, onDiscard: (m) => why.push(m) })).toBeUndefined();
        expect(why).toEqual([expect.stringMatching(/past the head \(8\)/)]);
      });
    });
  });

  it('storedHashAt reads the stored hash without decoding, and nothing past the head', async () => {
    const dir = await seeded(1);
    await editAndRechain(dir, 2, (rec) => ({ ...rec, type: 'FromTheFuture' }));
    await withStore(dir, async (store) => {
      const head = await store.head();
      expect(await storedHashAt(store, 4)).toBe(head.hash);
      expect(await storedHashAt(store, 2)).toMatch(/^[0-9a-f]{64}$/);
      expect(await storedHashAt(store, 5)).toBeUndefined();
    });
  });
});

describe('tolerant folds', () => {
  it('a record that does not decode is skipped and named; the rest is folded as without it', async () => {
    const dir = await seeded(3);
    await editAndRechain(dir, 6, (rec) => ({ ...rec, type: 'ProcessTeleported' }));
    await withStore(dir, async (store) => {
      const state = initialRunsState();
      expect(await foldTail(store, state)).toBe(11);
      expect(state.position).toBe(12);
      expect(state.skipped).toEqual([expect.objectContaining({ position: 6, code: 'LEDGER_TOO_NEW' })]);
      expect([...state.runs.values()].map((r) => r.spec.name)).toEqual(['job-1', 'job-2', 'job-3']);
      // With the damaged record at a page's end or start, the scan still reports it before that page and skips only it.
      for (const pageSize of [5, 6]) {
        const seen: number[] = [];
        for await (const page of store.scan({ pageSize, onDamaged: (d) => seen.push(-d.position) }))
          seen.push(...page.map((e) => e.position));
        expect(seen.filter((p) => p > 0)).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]);
        expect(seen.indexOf(-6)).toBeLessThan(seen.indexOf(7));
      }
    });
  });

  it('replay to a position before the damage never sees it; after it, names it', async () => {
    const dir = await seeded(3);
    await editAndRechain(dir, 7, (rec) => ({ ...rec, schemaVersion: 5 }));
    await withStore(dir, async (store) => {
      const before = await stateAt(store, { position: 6 });
      expect(before).toMatchObject({ position: 6, skipped: [] });
      const after = await stateAt(store, { position: 7 });
      expect(after.position).toBe(7);
      expect(after.skipped).toEqual([
        expect.objectContaining({ position: 7, code: 'LEDGER_TOO_NEW', message: expect.stringContaining('schemaVersion 5') }),
      ]);
    });
  });

  it('skipRecord keeps positions gap-free', () => {
    const state = initialRunsState();
    expect(() => skipRecord(state, { position: 2, code: 'X', message: 'm' })).toThrow(/PROJECTION_BUG|skipped after/);
    skipRecord(state, { position: 1, code: 'X', message: 'm' });
    expect(state).toMatchObject({ position: 1, skipped: [{ position: 1 }] });
  });
});
