#!/usr/bin/env node
// CLI start-up next to `node -e 0` measured in the same run. Reports ratios; never asserts.
//   ps with LIVE live runs and HISTORY events of history  vs node -e 0   (target <= 1.3x)
//   ps on an empty ledger                                   (target: history ratio <= 1.1x)
//   show ID, run -- sleep 1000                              vs node -e 0   (target <= 1.3x)
// BENCH_CLI_EVENTS (default 1,000,000), BENCH_CLI_LIVE (100), BENCH_CLI_REPS (15) shrink it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHistory } from './lib/history.mjs';

const HISTORY = Number(process.env.BENCH_CLI_EVENTS ?? 1_000_000);
const LIVE = Number(process.env.BENCH_CLI_LIVE ?? 100);
const REPS = Number(process.env.BENCH_CLI_REPS ?? 15);
const EVENTS_PER_RUN = 1000;
const BIN = fileURLToPath(new URL('../bin/runledger.cjs', import.meta.url));

const homes = [];
const newHome = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-bench-'));
  homes.push(dir);
  return dir;
};

function cli(home, args, { check = true } = {}) {
  const r = spawnSync(process.execPath, [BIN, '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (check && r.status !== 0) throw new Error(`runledger ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

function wallMs(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall times of several commands, interleaved so drift hits them all alike. */
function measure(commands) {
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < REPS + 2; i++) {
    for (const [name, argv] of Object.entries(commands)) {
      const ms = wallMs(argv);
      if (i >= 2) times[name].push(ms);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

function startLive(home, count) {
  for (let i = 0; i < count; i++) cli(home, ['run', '--name', `live-${i}`, '--', 'sleep', '1000']);
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

try {
  const node = [process.execPath, '-e', '0'];
  const empty = newHome();
  cli(empty, ['daemon', 'start']);

  const big = newHome();
  let t0 = Date.now();
  const written = await writeHistory(join(big, 'ledger'), HISTORY, EVENTS_PER_RUN);
  console.log(`history: ${written} events appended in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  t0 = Date.now();
  cli(big, ['daemon', 'start']);
  startLive(big, LIVE);
  console.log(`daemon start + ${LIVE} live runs: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const ps = measure({
    node,
    psEmpty: [process.execPath, BIN, '--home', empty, 'ps'],
    psBig: [process.execPath, BIN, '--home', big, 'ps'],
  });
  console.log(`node -e 0                          ${fmt(ps.node)}`);
  console.log(`ps, empty ledger                   ${fmt(ps.psEmpty)}  (${ratio(ps.psEmpty, ps.node)} node)`);
  console.log(
    `ps, ${LIVE} live + ${written} events    ${fmt(ps.psBig)}  (${ratio(ps.psBig, ps.node)} node, target <= 1.3x; ${ratio(ps.psBig, ps.psEmpty)} empty, target <= 1.1x)`,
  );

  const id = cli(empty, ['run', '--name', 'shown', '--', 'sleep', '1000']).stdout.trim();
  const more = measure({
    node,
    show: [process.execPath, BIN, '--home', empty, 'show', id],
    run: [process.execPath, BIN, '--home', empty, 'run', '--', 'sleep', '1000'],
  });
  console.log(`show ID                            ${fmt(more.show)}  (${ratio(more.show, more.node)} node, target <= 1.3x)`);
  console.log(`run -- sleep 1000                  ${fmt(more.run)}  (${ratio(more.run, more.node)} node, target <= 1.3x)`);
} finally {
  for (const home of homes) {
    cli(home, ['daemon', 'stop', '--stop-runs'], { check: false });
    rmSync(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}
