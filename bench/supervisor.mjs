#!/usr/bin/env node
// The Supervisor on real processes, against raw baselines measured in the same run:
//   1. spawn -> ProcessSpawned durable in the ledger, vs a raw execa spawn of the same command;
//   2. stopping 50 running `sleep` processes at once (SIGTERM, wait for every RunEnded);
//   3. memory per supervised process (the child's shim; the child itself is the user's).
// Prints figures and ratios; asserts nothing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { openEmbedded } from '../dist/index.js';

const N_SPAWN = Number(process.env.BENCH_SPAWNS ?? 40);
const N_STOP = 50;
const ms = (ns) => Number(ns) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

const home = mkdtempSync(join(tmpdir(), 'rl-bench-sup-'));
const embedded = await openEmbedded({ home, gitInfo: false });
const sup = embedded.supervisor;
try {
  // 1. spawn latency, interleaved so machine noise hits both sides alike
  const raw = [];
  const ours = [];
  for (let i = 0; i < N_SPAWN; i++) {
    let t = process.hrtime.bigint();
    const child = execa('sleep', ['5'], { detached: true, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', reject: false });
    await new Promise((resolve) => child.once('spawn', resolve));
    raw.push(ms(process.hrtime.bigint() - t));
    child.kill('SIGKILL');
    await child;

    t = process.hrtime.bigint();
    const { run } = await sup.start({ command: 'sleep', args: ['5'] }); // resolves after ProcessSpawned is durable
    ours.push(ms(process.hrtime.bigint() - t));
    await sup.stop(run.id, { force: true, wait: true });
  }
  const r = median(raw);
  const o = median(ours);
  console.log(
    `spawn -> ProcessSpawned durable: ${o.toFixed(2)} ms median (raw execa spawn ${r.toFixed(2)} ms) ratio ${(o / r).toFixed(2)}x  [target <= 2x]`,
  );

  // 2. stop 50 at once
  const started = await Promise.all(Array.from({ length: N_STOP }, () => sup.start({ command: 'sleep', args: ['1000'] })));
  // 3. memory per supervised process: the shims parenting the 50 sleeps
  const shimRss = started.map(({ run }) => rssKiB(run.attempts[0].shimPid)).filter(Number.isFinite);
  const childRss = started.map(({ run }) => rssKiB(run.attempts[0].pid)).filter(Number.isFinite);
  const t = process.hrtime.bigint();
  await Promise.all(started.map(({ run }) => sup.stop(run.id, { wait: true })));
  const stopMs = ms(process.hrtime.bigint() - t);
  console.log(`stop ${N_STOP} running sleeps (TERM, all RunEnded durable): ${stopMs.toFixed(0)} ms  [target well under 500 ms]`);
  console.log(`memory per supervised process: shim ${median(shimRss)} KiB RSS (the supervised sleep itself: ${median(childRss)} KiB)`);
  const ledgerEvents = (await embedded.store.head()).position;
  console.log(`ledger after the bench: ${ledgerEvents} events`);
} finally {
  await embedded.close({ stopRuns: true });
  rmSync(home, { recursive: true, force: true });
}
