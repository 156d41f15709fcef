#!/usr/bin/env node
// What checking the projection snapshot costs `ps` with no daemon (snapshot + tail from the ledger)
// at 1M events. Reports ratios; never asserts. Target: the check costs < 5% of `ps`.
//   check cost: in-process, loading the snapshot checked (head, seal HMAC, the log's hash at its
//               position) vs unchecked (read + parse + deserialize only), as a share of ps wall time;
//               and checked vs the original format's load (one parse, no seal), as a share too
//   ps vs the original: when ORIGINAL_BIN (a runledger bin from before the check) is given, wall
//               time of both CLIs on copies of the same ledger, interleaved
// BENCH_SNAP_EVENTS (default 1,000,000), BENCH_SNAP_REPS (15) shrink it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLedger } from '../dist/store/index.js';
import { writeHistory } from './lib/history.mjs';
import { readUsableSnapshot, DEFAULT_PROJECTION_NAME } from '../dist/projections/catch-up.js';
import { deserializeRunsState } from '../dist/projections/snapshot.js';
import { loadSnapshotKey } from '../dist/daemon/snapshot-key.js';

const EVENTS = Number(process.env.BENCH_SNAP_EVENTS ?? 1_000_000);
const REPS = Number(process.env.BENCH_SNAP_REPS ?? 15);
const EVENTS_PER_RUN = 1000;
const BIN = fileURLToPath(new URL('../bin/runledger.cjs', import.meta.url));
const ORIGINAL = process.env.ORIGINAL_BIN;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(2)} ms`;

function wallMs(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Median in-process load time of the snapshot, checked and unchecked, interleaved. */
async function snapshotLoadTimes(home) {
  const store = await openLedger({ dir: join(home, 'ledger') });
  const key = loadSnapshotKey(home);
  const checked = [];
  const unchecked = [];
  const before = [];
  let size = 0;
  // The snapshot as the original runledger stored it (state as an object, no seal), to time its load too.
  const stored = await store.readSnapshot(DEFAULT_PROJECTION_NAME);
  const originalJson = JSON.stringify({ position: stored.position, version: 1, state: JSON.parse(stored.state.body) });
  try {
    for (let i = 0; i < REPS * 4 + 4; i++) {
      let t0 = process.hrtime.bigint();
      const state = await readUsableSnapshot(store, DEFAULT_PROJECTION_NAME, Infinity, {
        key,
        onDiscard: (m) => {
          throw new Error(m);
        },
      });
      const c = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!state) throw new Error('no usable snapshot');
      t0 = process.hrtime.bigint();
      const snap = await store.readSnapshot(DEFAULT_PROJECTION_NAME);
      deserializeRunsState(JSON.parse(snap.state.body));
      const u = Number(process.hrtime.bigint() - t0) / 1e6;
      size = snap.state.body.length;
      t0 = process.hrtime.bigint();
      deserializeRunsState(JSON.parse(originalJson).state);
      const o = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= 4) (checked.push(c), unchecked.push(u), before.push(o));
    }
  } finally {
    await store.close();
  }
  return { checked: median(checked), unchecked: median(unchecked), original: median(before), size };
}

const homes = [];
try {
  const home = mkdtempSync(join(tmpdir(), 'rl-bench-snap-'));
  homes.push(home);
  let t0 = Date.now();
  const written = await writeHistory(join(home, 'ledger'), EVENTS, EVENTS_PER_RUN);
  console.log(`history: ${written} events in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  let original;
  if (ORIGINAL) {
    original = mkdtempSync(join(tmpdir(), 'rl-bench-snap-orig-'));
    homes.push(original);
    cpSync(join(home, 'ledger'), join(original, 'ledger'), { recursive: true });
  }
  // The first ps folds everything and writes the snapshot back; later ones start from it.
  t0 = Date.now();
  wallMs([process.execPath, BIN, '--home', home, 'ps']);
  if (original) wallMs([process.execPath, ORIGINAL, '--home', original, 'ps']);
  console.log(`first ps (full fold, snapshot written): ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const ps = [];
  const psOriginal = [];
  for (let i = 0; i < REPS + 2; i++) {
    const a = wallMs([process.execPath, BIN, '--home', home, 'ps']);
    const b = original ? wallMs([process.execPath, ORIGINAL, '--home', original, 'ps']) : 0;
    if (i >= 2) (ps.push(a), psOriginal.push(b));
  }
  const psMs = median(ps);
  const load = await snapshotLoadTimes(home);
  const cost = load.checked - load.unchecked;
  console.log(`snapshot body                      ${(load.size / 1024).toFixed(0)} KiB`);
  console.log(`snapshot load, unchecked           ${fmt(load.unchecked)}`);
  console.log(`snapshot load, checked             ${fmt(load.checked)}  (check costs ${fmt(cost)})`);
  console.log(`ps (no daemon, ${written} events)   ${fmt(psMs)}`);
  console.log(`snapshot load, original format     ${fmt(load.original)}  (parse + deserialize, no seal: the load before this change)`);
  console.log(`check / ps                         ${((cost / psMs) * 100).toFixed(2)}%  (target < 5%)`);
  console.log(
    `(checked - original format) / ps   ${(((load.checked - load.original) / psMs) * 100).toFixed(2)}%  (seal format + check, all in)`,
  );
  if (original) {
    const o = median(psOriginal);
    console.log(`ps, original runledger             ${fmt(o)}`);
    console.log(`ps checked / original              ${(psMs / o).toFixed(3)}x  (wall time, noisy)`);
  }
} finally {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
}
