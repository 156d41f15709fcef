#!/usr/bin/env node
// What signed checkpoints cost a writer: durable appends through the
// checkpointing store (default: a signed, fsynced checkpoint every 1000 events
// or 5 s) next to the same ledger without it, alternating rounds so machine
// noise hits both alike. Reports the ratio (target >= 0.95); never asserts.
// BENCH_ANCHOR_EVENTS sets the appends per round (default 3000).
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckpointer } from '../dist/anchor/checkpointer.js';
import { withCheckpoints } from '../dist/anchor/checkpointing-store.js';
import { keyFromPrivatePem } from '../dist/anchor/signing.js';
import { openLedger } from '../dist/store/index.js';

const N = Number(process.env.BENCH_ANCHOR_EVENTS ?? 3000);
const WRITERS = 8;
const ROUNDS = 3;
const root = await mkdtemp(join(tmpdir(), 'runledger-bench-anchors-'));
let dirs = 0;
const key = keyFromPrivatePem(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
const event = (i) => ({
  type: 'SupervisorStarted',
  data: { supervisorId: `sup-${i}`, pid: 1000 + (i % 5000), version: '0.1.0', bootId: 'boot', hostname: 'host' },
});

async function round(anchored, writers) {
  const dir = join(root, String(dirs++));
  const ledger = await openLedger({ dir: join(dir, 'ledger') });
  const checkpointer = anchored ? createCheckpointer({ file: join(dir, 'checkpoints.ndjson'), key }) : undefined;
  const store = checkpointer ? withCheckpoints(ledger, checkpointer) : ledger;
  globalThis.gc?.();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < N / writers; i++) await store.append(`run-${w}`, [event(i)]);
    }),
  );
  // Append throughput only: the one checkpoint at close is a shutdown cost, paid once.
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  await store.close();
  return { rate: N / s, written: checkpointer?.written ?? 0 };
}

async function compare(label, writers) {
  let best = { plain: 0, anchored: 0 };
  let written = 0;
  for (let r = 0; r <= ROUNDS; r++) {
    const plain = await round(false, writers);
    const anchored = await round(true, writers);
    written = anchored.written;
    if (r > 0) best = { plain: Math.max(best.plain, plain.rate), anchored: Math.max(best.anchored, anchored.rate) };
  }
  const fmt = (x) => `${Math.round(x).toLocaleString('en-US')}/s`;
  console.log(
    `${label.padEnd(40)} with checkpoints ${fmt(best.anchored).padStart(10)}   without ${fmt(best.plain).padStart(10)}   ratio ${(best.anchored / best.plain).toFixed(3)}x   (target >= 0.95; ${written} checkpoints per round)`,
  );
}

/** One checkpoint by itself: sign, append, fdatasync (what the writer pays every 1000 events). */
async function checkpointCost() {
  const file = join(root, 'cost.ndjson');
  const cp = createCheckpointer({ file, key, everyEvents: 1, everyMs: 60_000 });
  const K = 50;
  const t0 = process.hrtime.bigint();
  for (let i = 1; i <= K; i++) {
    cp.observe({ position: i, hash: 'ab'.repeat(32) });
    while (cp.written < i) await new Promise((r) => setImmediate(r));
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / K;
  await cp.close();
  console.log(
    `one checkpoint (sign + append + fdatasync): ${ms.toFixed(2)} ms, i.e. ${((ms * 1000) / 1000).toFixed(1)} µs per event at the default of one per 1000 events`,
  );
}

try {
  await checkpointCost();
  await compare('durable 1-event appends, 1 writer', 1);
  await compare(`durable 1-event appends, ${WRITERS} writers`, WRITERS);
} finally {
  await rm(root, { recursive: true, force: true });
}
