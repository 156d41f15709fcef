#!/usr/bin/env node
// Daemon memory: RSS of a real daemon process with 100 supervised `sleep`
// processes, then after each of 20 cycles of stopping and restarting them
// (target <= 64 MiB, no growth), the idle daemon's CPU with the runs up, and how
// many file handles Node had to close on garbage collection. Prints; never asserts.
// BENCH_DAEMON_RUNS / BENCH_DAEMON_CYCLES shrink it; DARGS="--flag ..." overrides
// the daemon's node flags (default DAEMON_NODE_ARGS in src/daemon/spawn-daemon.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDaemon, stopDaemon } from '../dist/daemon/lifecycle.js';
import { cpuShareOf, fdsOf, rssOf } from './lib/proc-stats.mjs';

const RUNS = Number(process.env.BENCH_DAEMON_RUNS ?? 100);
const CYCLES = Number(process.env.BENCH_DAEMON_CYCLES ?? 20);
const MiB = 1024 * 1024;
const home = mkdtempSync(join(tmpdir(), 'rl-bench-'));
const groups = new Set();

const fmt = (bytes) => `${(bytes / MiB).toFixed(1)} MiB`;

async function startAll(client) {
  const spec = { command: 'sleep', args: ['1000'], cwd: tmpdir() };
  const started = await Promise.all(Array.from({ length: RUNS }, () => client.request('POST', '/v1/runs', { spec })));
  for (const { run } of started) for (const a of run.attempts) if (a.pgid) groups.add(a.pgid);
}

async function settle() {
  // Let timers and the log tail of stopped runs finish before measuring.
  await new Promise((r) => setTimeout(r, 1000));
}

let client;
try {
  client = await ensureDaemon(home, process.env.DARGS ? { nodeArgs: process.env.DARGS.split(' ') } : {});
  const pid = client.status.pid;
  const idle = rssOf(pid);
  await startAll(client);
  await settle();
  const withRuns = rssOf(pid);
  console.log(`daemon pid ${pid}: idle ${fmt(idle)}; with ${RUNS} supervised sleeps ${fmt(withRuns)}`);
  const cpu = await cpuShareOf(pid, 10_000);
  console.log(
    `CPU of the daemon with ${RUNS} idle sleeps over 10 s: ${(cpu * 100).toFixed(1)}% of a core; RSS then ${fmt(rssOf(pid))}; ${fdsOf(pid)}`,
  );
  const samples = [];
  const t0 = Date.now();
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    await client.request('POST', '/v1/stop', { all: true, wait: true });
    await startAll(client);
    await settle();
    samples.push(rssOf(pid));
    if (cycle === 1 || cycle % 5 === 0) console.log(`after cycle ${String(cycle).padStart(2)}: ${fmt(samples[samples.length - 1])}`);
  }
  const last = samples[samples.length - 1] ?? withRuns;
  console.log(`${CYCLES} cycles of ${RUNS} start+stop in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(
    `RSS with ${RUNS} runs after ${CYCLES} cycles: ${fmt(last)} (target <= 64 MiB: ${last <= 64 * MiB ? 'met' : 'NOT met'}); growth since first: ${fmt(last - withRuns)}`,
  );
  await client.request('POST', '/v1/stop', { all: true, wait: true });
  // Idle for a while so V8's memory reducer can run: what remains is what the daemon keeps, not churn in flight.
  await new Promise((r) => setTimeout(r, 8000));
  console.log(`RSS with no runs after the cycles, idle: ${fmt(rssOf(pid))} (idle at start: ${fmt(idle)}); ${fdsOf(pid)}`);
  const log = readFileSync(join(home, 'daemon.log'), 'utf8');
  console.log(
    `"Closing file descriptor ... on garbage collection" warnings in daemon.log: ${log.split('on garbage collection').length - 1}`,
  );
} finally {
  await stopDaemon(home, { stopRuns: true }).catch((err) => console.error('stop failed:', err.message));
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already stopped with the daemon
    }
  }
  rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}
