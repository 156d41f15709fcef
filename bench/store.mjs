#!/usr/bin/env node
// Ledger throughput next to raw classic-level doing the same I/O in the same
// process on the same data. Reports ratios; never asserts on time.
// BENCH_SCAN_EVENTS shrinks the scan log (default 1,000,000); BENCH_ONLY=a,b runs only those sections.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { openLedger } from '../dist/store/index.js';

const SCAN_EVENTS = Number(process.env.BENCH_SCAN_EVENTS ?? 1_000_000);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'a,b,c').split(','));
const root = await mkdtemp(join(tmpdir(), 'runledger-bench-'));
let dirCount = 0;
const freshDir = () => join(root, String(dirCount++));

/** A realistic ~300-byte event (as JSON, before the envelope's ids and hashes). */
function makeEvent(i) {
  return {
    type: 'ProcessSpawned',
    data: {
      attempt: 1,
      pid: 10000 + (i % 50000),
      pgid: 10000 + (i % 50000),
      startTime: String(900000 + i),
      bootId: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b',
      runtime: 'background',
      logs: { stdout: `/home/ana/.runledger/logs/run-${i}/1.out`, stderr: `/home/ana/.runledger/logs/run-${i}/1.err` },
    },
  };
}
const rawValue = (i) => JSON.stringify(makeEvent(i));
const pad = (n) => String(n).padStart(16, '0');

async function timed(fn) {
  globalThis.gc?.();
  const t0 = process.hrtime.bigint();
  const n = await fn();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { n, s, rate: n / s };
}

async function withRaw(fn) {
  const db = new ClassicLevel(freshDir(), { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function withLedger(fn, dir = freshDir()) {
  const store = await openLedger({ dir });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const fmt = (r) => `${Math.round(r).toLocaleString('en-US')}/s`;
const row = (label, ours, raw, target) =>
  console.log(
    `${label.padEnd(44)} ours ${fmt(ours).padStart(12)}   raw ${fmt(raw).padStart(12)}   ratio ${(ours / raw).toFixed(2)}x   (target ${target})`,
  );

/** Best rate of `rounds` runs each, alternating raw and ours so machine noise hits both alike; round 0 warms the JIT. */
async function bestOf(rounds, raw, ours) {
  let best = { raw: 0, ours: 0 };
  for (let r = 0; r <= rounds; r++) {
    const a = (await raw(r)).rate;
    const b = (await ours(r)).rate;
    if (r > 0) best = { raw: Math.max(best.raw, a), ours: Math.max(best.ours, b) };
  }
  return best;
}

/**
 * Raw chained batches holding our key layout (layout 2: log + ids per event, one
 * streams entry per append call, + head): group commit with zero CPU.
 */
function rawLayoutBatches(perBatch, batches, eventsPerAppend = 1) {
  return withRaw((db) =>
    timed(async () => {
      let p = 0;
      for (let b = 0; b < batches; b++) {
        const batch = db.batch();
        for (let i = 0; i < perBatch; i++) {
          p++;
          batch.put('!log!' + pad(p), rawValue(p) + '"hashes and envelope: ' + 'x'.repeat(180) + '"');
          batch.put('!ids!01J8Z3R000000000000' + pad(p).slice(-6), String(p));
          if (i % eventsPerAppend === 0)
            batch.put('!streams!run-' + (p % 64) + '\x00' + pad(p), `{"position":${p},"count":${eventsPerAppend}}`);
        }
        batch.put('!meta!head', JSON.stringify({ position: p, hash: 'f'.repeat(64) }));
        await batch.write({ sync: true });
      }
      return perBatch * batches;
    }),
  );
}

async function benchSingleAppends() {
  const N = 300;
  const rawPuts = () =>
    withRaw((db) =>
      timed(async () => {
        for (let i = 0; i < N; i++) await db.put('!log!' + pad(i + 1), rawValue(i), { sync: true });
        return N;
      }),
    );
  const oneWriter = () =>
    withLedger((store) =>
      timed(async () => {
        for (let i = 0; i < N; i++) await store.append('s', [makeEvent(i)]);
        return N;
      }),
    );
  const WRITERS = 64;
  const PER_WRITER = 100;
  let writes = 0;
  const manyWriters = () =>
    withLedger(async (store) => {
      const r = await timed(async () => {
        await Promise.all(
          Array.from({ length: WRITERS }, async (_, w) => {
            for (let i = 0; i < PER_WRITER; i++) await store.append(`run-${w}`, [makeEvent(i)]);
          }),
        );
        return WRITERS * PER_WRITER;
      });
      writes = store.writeCount;
      return r;
    });
  const one = await bestOf(3, rawPuts, oneWriter);
  const many = await bestOf(3, () => rawLayoutBatches(WRITERS, PER_WRITER), manyWriters);
  const raw = one.raw;
  row('(a) durable 1-event appends, 1 writer', one.ours, raw, 'n/a');
  row(`(a) durable 1-event appends, ${WRITERS} writers`, many.ours, raw, '>= 20x');
  console.log(`    ${WRITERS * PER_WRITER} appends went to disk in ${writes} sync writes (group commit)`);
  row(`    ceiling: raw ${WRITERS}-event batches in our key layout`, many.raw, raw, 'reference');
  console.log(`    ours reaches ${((many.ours / many.raw) * 100).toFixed(0)}% of that zero-CPU ceiling`);
}

async function benchBigAppend() {
  const SIZE = 1000;
  const ROUNDS = 15;
  const raw = () =>
    withRaw(async (db) => {
      let best = Infinity;
      for (let r = 0; r < ROUNDS; r++) {
        const { s } = await timed(async () => {
          const batch = db.batch();
          for (let i = 0; i < SIZE; i++) batch.put('!log!' + pad(r * SIZE + i + 1), rawValue(i));
          await batch.write({ sync: true });
          return SIZE;
        });
        best = Math.min(best, s);
      }
      return { rate: SIZE / best };
    });
  const ours = () =>
    withLedger(async (store) => {
      let best = Infinity;
      for (let r = 0; r < ROUNDS; r++) {
        const events = Array.from({ length: SIZE }, (_, i) => makeEvent(i));
        const { s } = await timed(async () => {
          await store.append(`run-${r}`, events);
          return SIZE;
        });
        best = Math.min(best, s);
      }
      return { rate: SIZE / best };
    });
  const best = await bestOf(3, raw, ours);
  const ceiling = await bestOf(
    3,
    () => rawLayoutBatches(SIZE, 5, SIZE),
    () => rawLayoutBatches(SIZE, 5, SIZE),
  );
  row('(b) one append of 1,000 events', best.ours, best.raw, '>= 0.5x');
  row('    ceiling: raw 1,000-event batch in our key layout', ceiling.raw, best.raw, 'reference');
}

async function benchScan() {
  const dir = freshDir();
  const CHUNK = 10_000;
  const build = await withLedger(
    (store) =>
      timed(async () => {
        for (let done = 0; done < SCAN_EVENTS; done += CHUNK) {
          const n = Math.min(CHUNK, SCAN_EVENTS - done);
          await store.append(
            `run-${done}`,
            Array.from({ length: n }, (_, i) => makeEvent(done + i)),
          );
        }
        return SCAN_EVENTS;
      }),
    dir,
  );
  console.log(`    built a ${SCAN_EVENTS.toLocaleString('en-US')}-event log in ${build.s.toFixed(1)} s (${fmt(build.rate)})`);
  const scanOurs = () =>
    withLedger(
      (store) =>
        timed(async () => {
          let n = 0;
          for await (const page of store.scan({ pageSize: 1000 })) n += page.length;
          return n;
        }),
      dir,
    );
  // Raw: the same keys, nextv + JSON.parse, with the same large highWaterMarkBytes.
  const scanRaw = async () => {
    const db = new ClassicLevel(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.open();
    try {
      return await timed(async () => {
        const it = db.iterator({ gte: '!log!', lt: '!log"', highWaterMarkBytes: 4 * 1024 * 1024 });
        let n = 0;
        for (;;) {
          const entries = await it.nextv(1000);
          if (entries.length === 0) break;
          for (const [, v] of entries) if (JSON.parse(v)) n++;
        }
        await it.close();
        return n;
      });
    } finally {
      await db.close();
    }
  };
  let raw = 0;
  let ours = 0;
  for (let round = 0; round < 2; round++) {
    raw = Math.max(raw, (await scanRaw()).rate);
    ours = Math.max(ours, (await scanOurs()).rate);
  }
  row(`(c) full scan of ${SCAN_EVENTS.toLocaleString('en-US')} events into typed events`, ours, raw, '>= 0.6x');
}

try {
  console.log(`store benchmark (node ${process.version}); raw = classic-level on the same ~${rawValue(0).length}-byte JSON`);
  if (ONLY.has('a')) await benchSingleAppends();
  if (ONLY.has('b')) await benchBigAppend();
  if (ONLY.has('c')) await benchScan();
} finally {
  await rm(root, { recursive: true, force: true });
}
