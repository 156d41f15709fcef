#!/usr/bin/env node
// Runtime benchmarks: prints numbers, never asserts. Run after `npm run build`:
//   node bench/runtime.mjs
// Baselines (sh wrapper, raw execa) are measured in the same run, so ratios mean something.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ulid } from 'ulid';
import { createBackgroundRuntime } from '../dist/runtime/index.js';

const stateDir = mkdtempSync(join(tmpdir(), 'rl-bench-'));
const runtime = createBackgroundRuntime({ stateDir });
const started = []; // { identity } from the adapter
const rawPids = [];

const rssKb = (pid) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const privateKb = (pid) => {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const get = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return get('Private_Clean') + get('Private_Dirty');
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const request = () => ({
  runId: ulid(),
  attempt: 1,
  command: 'sleep',
  args: ['1000'],
  shell: false,
  cwd: process.cwd(),
  env: {},
  logs: { maxBytes: 1 << 20, keep: 1 },
});

async function spawnAdapter() {
  const req = request();
  const p = await runtime.spawn(req);
  started.push({ req, p });
  return { req, p };
}

async function measureMemory(n = 20) {
  const shims = [];
  for (let i = 0; i < n; i++) shims.push((await spawnAdapter()).p.shimPid);
  const shs = [];
  for (let i = 0; i < n; i++) {
    const sh = spawn('/bin/sh', ['-c', `sleep 1000; echo $? > ${join(stateDir, `sh-${i}`)}`], { stdio: 'ignore', detached: true });
    rawPids.push(sh.pid);
    shs.push(sh.pid);
  }
  await new Promise((r) => setTimeout(r, 300));
  const shimRss = median(shims.map(rssKb));
  const shRss = median(shs.map(rssKb));
  console.log(`memory per supervised process (median of ${n}; VmRSS / private pages):`);
  console.log(`  runledger-shim            ${shimRss} kB / ${median(shims.map(privateKb))} kB   (exit + signal + rotating logs)`);
  console.log(`  sh -c 'cmd; echo $? >f'   ${shRss} kB / ${median(shs.map(privateKb))} kB   (exit code only, no logs)`);
  console.log(`  ratio shim/sh (RSS)       ${(shimRss / shRss).toFixed(2)}`);
  console.log(`  note: RSS counts libc pages shared by every copy; the private column is the real per-process cost.`);
}

async function measureParallelStop(n = 50) {
  const procs = [];
  for (let i = 0; i < n; i++) procs.push(await spawnAdapter());
  const t0 = performance.now();
  await Promise.all(
    procs.map(async ({ req, p }) => {
      const exit = runtime.waitExit(req.runId, 1, p.identity);
      await runtime.signal(p.identity, 'SIGTERM', 'group');
      await exit;
    }),
  );
  console.log(`stop ${n} running 'sleep 1000' in parallel (TERM + waitExit): ${(performance.now() - t0).toFixed(1)} ms`);
}

async function measureSpawnLatency(n = 20) {
  const raw = [];
  const adapter = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    const sub = execa('sleep', ['1000'], { reject: false });
    await once(sub, 'spawn');
    raw.push(performance.now() - t);
    rawPids.push(sub.pid);
    t = performance.now();
    await spawnAdapter();
    adapter.push(performance.now() - t);
  }
  const r = median(raw);
  const a = median(adapter);
  console.log(
    `spawn latency (median of ${n}): raw execa ${r.toFixed(2)} ms, adapter ${a.toFixed(2)} ms (x${(a / r).toFixed(1)}; includes attempt dir, shim fork+exec and the pid report)`,
  );
}

try {
  await measureMemory();
  await measureParallelStop();
  await measureSpawnLatency();
} finally {
  for (const { p } of started) await runtime.signal(p.identity, 'SIGKILL', 'group').catch(() => {});
  for (const pid of rawPids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  await runtime.close();
  await new Promise((r) => setTimeout(r, 200));
  rmSync(stateDir, { recursive: true, force: true });
}
