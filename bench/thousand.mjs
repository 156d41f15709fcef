#!/usr/bin/env node
// 1,000 runs on one machine, under `ulimit -n 1024`: start 1,000 sleeps through
// a real daemon, measure its RSS, open descriptors and idle CPU, end all 1,000
// children within the same second from outside (every exit must be recorded),
// then start 1,000 more and stop them all through the API.
// Prints; never asserts. BENCH_THOUSAND_RUNS shrinks it; BENCH_THOUSAND_NOFILE
// sets the descriptor limit the daemon inherits (default 1024).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_THOUSAND_RUNS ?? 1000);
const NOFILE = Number(process.env.BENCH_THOUSAND_NOFILE ?? 1024);
const MiB = 1024 * 1024;

// The daemon inherits our limits: re-run this file under the descriptor limit being proven.
if (process.env.RL_BENCH_LIMITED !== '1') {
  const r = spawnSync('prlimit', [`--nofile=${NOFILE}:${NOFILE}`, process.execPath, ...process.execArgv, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, RL_BENCH_LIMITED: '1' },
  });
  process.exit(r.status ?? 1);
}

const { ensureDaemon, stopDaemon } = await import('../dist/daemon/lifecycle.js');
const { cpuShareOf, rssOf } = await import('./lib/proc-stats.mjs');
const home = mkdtempSync(join(tmpdir(), 'rl-bench-1k-'));
const childPids = new Set();

const fmt = (bytes) => `${(bytes / MiB).toFixed(1)} MiB`;
const softNofile = (pid) => readFileSync(`/proc/${pid}/limits`, 'utf8').match(/Max open files\s+(\d+)/)[1];
/** Open descriptors of a pid. */
const fdCount = (pid) => readdirSync(`/proc/${pid}/fd`).length;
const seconds = (t0) => ((performance.now() - t0) / 1000).toFixed(1);

/** Start RUNS sleeps, at most 32 requests in flight (each request is one socket). */
async function startAll(client) {
  const ids = [];
  let next = 0;
  const worker = async () => {
    while (next < RUNS) {
      next++;
      const { run } = await client.request('POST', '/v1/runs', { spec: { command: 'sleep', args: ['1000'], cwd: tmpdir() } });
      ids.push(run.id);
      for (const a of run.attempts) if (a.pid) childPids.add(a.pid);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return ids;
}

async function waitAllEnded(client, ids, limitMs) {
  const wanted = new Set(ids);
  const t0 = Date.now();
  for (;;) {
    const { runs } = await client.request('GET', '/v1/runs?all=1');
    const ended = runs.filter((r) => wanted.has(r.id) && r.endedAt);
    if (ended.length === wanted.size || Date.now() - t0 > limitMs) return ended;
    await new Promise((r) => setTimeout(r, 250));
  }
}

let client;
let failed = false;
try {
  client = await ensureDaemon(home);
  const pid = client.status.pid;
  console.log(`daemon pid ${pid}, open files limit ${softNofile(pid)}; idle RSS ${fmt(rssOf(pid))}, ${fdCount(pid)} fds`);

  let t0 = performance.now();
  const first = await startAll(client);
  console.log(`started ${first.length} runs in ${seconds(t0)} s`);
  await new Promise((r) => setTimeout(r, 3000));
  console.log(`with ${RUNS} runs: RSS ${fmt(rssOf(pid))}, ${fdCount(pid)} fds`);
  const cpu = await cpuShareOf(pid, 10_000);
  console.log(`idle CPU of the daemon with ${RUNS} runs over 10 s: ${(cpu * 100).toFixed(1)}% of a core`);

  // End every child from outside, all within one second: each exit must still be recorded.
  t0 = performance.now();
  for (const p of childPids) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  console.log(`signalled ${childPids.size} children in ${seconds(t0)} s`);
  childPids.clear();
  const ended = await waitAllEnded(client, first, 120_000);
  const byStatus = {};
  for (const r of ended) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  console.log(`${ended.length}/${first.length} exits recorded in ${seconds(t0)} s: ${JSON.stringify(byStatus)}`);

  t0 = performance.now();
  const second = await startAll(client);
  console.log(`started ${second.length} more in ${seconds(t0)} s; RSS ${fmt(rssOf(pid))}, ${fdCount(pid)} fds`);
  t0 = performance.now();
  await client.request('POST', '/v1/stop', { all: true, wait: true });
  const stopped = await waitAllEnded(client, second, 60_000);
  console.log(`stopped ${stopped.length}/${second.length} in ${seconds(t0)} s; RSS ${fmt(rssOf(pid))}, ${fdCount(pid)} fds`);
} catch (err) {
  failed = true;
  console.error(`bench failed: ${err.message}; daemon log kept in ${home}/daemon.log`);
  process.exitCode = 1;
} finally {
  await stopDaemon(home, { stopRuns: true }).catch((err) => console.error('stop failed:', err.message));
  for (const p of childPids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // stopped with the daemon
    }
  }
  if (!failed) rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}
