#!/usr/bin/env node
// The fleet on PostgreSQL (issue 15): replicated events per second vs local
// appends, `ps --all-hosts` latency at 100k fleet events, and cross-host
// run -> ProcessSpawned latency. Starts a private cluster (initdb as the
// postgres user when run as root); skips with a message without PostgreSQL.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedger } from '../dist/store/index.js';
import { startReplicator } from '../dist/fleet/replicator.js';
import { writeHistory } from './lib/history.mjs';
import { openFleetDb } from '../dist/fleet/fleet-db.js';
import { awaitAnswer, newRequest, requireLiveHost, submitRequest } from '../dist/fleet/remote-requests.js';

const BIN = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin'].find((d) => existsSync(join(d, 'initdb')));
if (!BIN) {
  console.log('skipped: PostgreSQL (initdb) not installed');
  process.exit(0);
}
const asRoot = process.getuid() === 0;
const pgRun = (bin, args) =>
  execFileSync(asRoot ? 'runuser' : join(BIN, bin), asRoot ? ['-u', 'postgres', '--', join(BIN, bin), ...args] : args, { stdio: 'pipe' });
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const root = mkdtempSync(join(tmpdir(), 'rl-bench-pg-'));
const [data, sock] = [join(root, 'data'), join(root, 'sock')];
mkdirSync(sock);
if (asRoot) {
  const [uid, gid] = ['-u', '-g'].map((f) => Number(execFileSync('id', [f, 'postgres']).toString()));
  chownSync(root, uid, gid);
  chownSync(sock, uid, gid);
}
pgRun('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
pgRun('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1`, '-l', join(root, 'log'), '-w', 'start']);
const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

async function replicate(n, host) {
  const dir = mkdtempSync(join(tmpdir(), 'rl-bench-local-'));
  const t0 = performance.now();
  await writeHistory(dir, n);
  const localMs = performance.now() - t0;
  const local = await openLedger({ dir });
  const t1 = performance.now();
  const rep = startReplicator({ local, url, host, pageSize: 1000 });
  while (!rep.status().synced) await new Promise((r) => setTimeout(r, 20));
  const replMs = performance.now() - t1;
  await rep.stop();
  await local.close();
  rmSync(dir, { recursive: true, force: true });
  return { localMs, replMs };
}

/** A daemon for host bench-remote; requests from here until its answer (the run spawned, ProcessSpawned recorded). */
async function crossHost() {
  const home = mkdtempSync(join(tmpdir(), 'rl-bench-remote-'));
  const env = { ...process.env, RUNLEDGER_FLEET_URL: url, RUNLEDGER_HOST_NAME: 'bench-remote' };
  const cli = (args) => spawnSync(process.execPath, ['bin/runledger.cjs', '--home', home, ...args], { encoding: 'utf8', env });
  const db = await openFleetDb(url);
  try {
    if (cli(['daemon', 'start']).status !== 0) throw new Error('daemon start failed');
    for (let i = 0; ; i++) {
      try {
        await requireLiveHost(db, 'bench-remote');
        break;
      } catch (err) {
        if (i > 200) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const times = [];
    for (let i = 0; i < 20; i++) {
      const request = newRequest('bench-here', 'bench-remote', 'run', { spec: { command: 'true', args: [], cwd: '/' } });
      const t = performance.now();
      await submitRequest(db, request, 15_000);
      const answer = await awaitAnswer(db, request, 15_000, 5);
      times.push(performance.now() - t);
      if (!answer.ok || answer.value.run.attempts[0].pid == null) throw new Error(JSON.stringify(answer));
    }
    times.sort((a, b) => a - b);
    console.log(
      `cross-host run -> ProcessSpawned (request to answer, 20 runs): median ${Math.round(times[10])} ms (min ${Math.round(times[0])}, max ${Math.round(times.at(-1))})`,
    );
    const t = performance.now();
    const r = spawnSync(process.execPath, ['bin/runledger.cjs', '--json', 'run', '--host', 'bench-remote', '--', 'true'], {
      encoding: 'utf8',
      env,
    });
    if (r.status !== 0) throw new Error(r.stderr);
    console.log(`runledger run --host (whole CLI process, node start-up included): ${Math.round(performance.now() - t)} ms`);
  } finally {
    cli(['daemon', 'stop']);
    await db.close();
    rmSync(home, { recursive: true, force: true });
  }
}

try {
  const n = 20_000;
  const { localMs, replMs } = await replicate(n, 'bench-a');
  console.log(`local appends (synthetic history, batched per run): ${Math.round(n / (localMs / 1000))} events/s`);
  console.log(
    `replicated to PostgreSQL:                           ${Math.round(n / (replMs / 1000))} events/s (${(replMs / localMs).toFixed(2)}x the local time)`,
  );

  await replicate(80_000, 'bench-b');
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['bin/runledger.cjs', 'ps', '--all-hosts', '--all', '--json', '--fleet-url', url], {
      encoding: 'utf8',
    });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(r.stderr);
    if (i === 0) console.log(`fleet: ${JSON.parse(r.stdout).position} events, ${JSON.parse(r.stdout).runs.length} runs`);
  }
  times.sort((a, b) => a - b);
  console.log(
    `ps --all-hosts at 100k fleet events: median ${Math.round(times[1])} ms (min ${Math.round(times[0])}, max ${Math.round(times[2])})`,
  );
  await crossHost();
} finally {
  try {
    pgRun('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
  } catch {
    /* already down */
  }
  rmSync(root, { recursive: true, force: true });
}
