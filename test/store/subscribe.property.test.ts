/**
 * Property: however appends from several writers interleave with a
 * subscription's catch-up reads, the subscriber sees exactly from..head, in
 * order, once each. fast-check's scheduler decides when each backend read
 * and write completes, so catch-up pages race live writes in every order.
 */
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/events/envelope.js';
import type { LedgerBackend } from '../../src/store/backend.js';
import { createLedger } from '../../src/store/ledger.js';
import { createLevelBackend } from '../../src/store/level/backend.js';
import { createMemoryBackend } from '../../src/store/memory/backend.js';
import { normalizeLedgerOptions } from '../../src/store/options.js';
import { makeTempDir, removeDir, startedMany } from './helpers.js';

/** The backend with its reads and writes completing when the scheduler says so. */
function scheduled(s: fc.Scheduler, backend: LedgerBackend): LedgerBackend {
  return {
    ...backend,
    readLog: s.scheduleFunction(backend.readLog),
    write: s.scheduleFunction(backend.write),
    findStreamVersion: s.scheduleFunction(backend.findStreamVersion),
  };
}

const scenario = fc.record({
  seed: fc.integer({ min: 0, max: 12 }),
  // Each writer issues its appends one after another; writers run concurrently.
  writers: fc.array(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
  fromOffset: fc.nat(),
  pageSize: fc.integer({ min: 1, max: 4 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

async function checkScenario(s: fc.Scheduler, raw: LedgerBackend, sc: Scenario): Promise<void> {
  const store = createLedger(
    scheduled(s, raw),
    normalizeLedgerOptions(),
    { head: { position: 0, hash: GENESIS_HASH } },
    { subscribePageSize: sc.pageSize },
  );
  try {
    if (sc.seed > 0) await s.waitFor(store.append('seed', startedMany(sc.seed)));
    const total = sc.seed + sc.writers.flat().reduce((a, b) => a + b, 0);
    const from = 1 + (sc.fromOffset % (total + 1));
    const seen: number[] = [];
    const errors: unknown[] = [];
    const subscribed = s
      .schedule(Promise.resolve('subscribe'))
      .then(() => store.subscribeAll({ from }).subscribe({ next: (e) => seen.push(e.position), error: (e) => errors.push(e) }));
    const writers = sc.writers.map(async (batches, w) => {
      for (const n of batches) await store.append(`w-${w}`, startedMany(n));
    });
    await s.waitFor(Promise.all([...writers, subscribed]));
    const expected = Array.from({ length: total - from + 1 }, (_, i) => from + i);
    for (let round = 0; seen.length < expected.length && errors.length === 0 && round < 1000; round++) await s.waitIdle();
    expect(errors).toEqual([]);
    expect(seen).toEqual(expected);
    (await subscribed).unsubscribe();
  } finally {
    await s.waitFor(store.close());
  }
}

describe('subscribeAll under arbitrary interleavings', () => {
  it('memory: exactly from..head, in order, no gap, no duplicate', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), scenario, (s, sc) => checkScenario(s, createMemoryBackend(), sc)),
      { numRuns: 300 },
    );
  });

  it('level: exactly from..head, in order, no gap, no duplicate', async () => {
    const dir = await makeTempDir();
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), scenario, async (s, sc) => {
          const db = new ClassicLevel<string, string>(join(dir, String(n++)), { keyEncoding: 'utf8', valueEncoding: 'utf8' });
          await db.open();
          await checkScenario(s, createLevelBackend(db), sc);
        }),
        { numRuns: 40 },
      );
    } finally {
      await removeDir(dir);
    }
  });
});
