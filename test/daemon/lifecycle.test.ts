/**
 * Real daemon processes in fresh homes (needs `npm run build`: the daemon
 * runs from dist/). Auto-start race, SIGTERM and adoption, kill -9 and
 * reconcile, shutdown with stopRuns.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListResponse, StartResponse } from '../../src/daemon/api.js';
import { connectDaemon } from '../../src/daemon/client.js';
import { daemonStatus, ensureDaemon, startDaemon, stopDaemon } from '../../src/daemon/lifecycle.js';
import { isPidAlive, waitForPidExit } from '../../src/daemon/pid.js';
import { isRunledgerError } from '../../src/errors.js';
import { daemonPidsOf, kill, readLedger, sleepSpec, TestHome, until } from './helpers.js';

const run = promisify(execFile);
const racer = fileURLToPath(new URL('./ensure-child.mjs', import.meta.url));

let t: TestHome;
beforeEach(() => {
  t = new TestHome();
});
afterEach(() => t.cleanup());

async function startRun(home: string, seconds = 300) {
  const client = t.trackDaemon(await ensureDaemon(home));
  const { run: view } = await client.request<StartResponse>('POST', '/v1/runs', { spec: sleepSpec(seconds) });
  t.trackRun(view);
  return { client, view };
}

describe('daemon lifecycle', () => {
  it('runs with allocator settings of its own that its children never inherit', async () => {
    const client = t.trackDaemon(await ensureDaemon(t.home));
    // The daemon's initial environment carries them (glibc reads them at start)...
    const daemonEnv = readFileSync(`/proc/${client.status.pid}/environ`, 'utf8').split('\0');
    expect(daemonEnv).toContain('MALLOC_TRIM_THRESHOLD_=65536');
    // ...but a child started without a caller environment extends the daemon's current one, without them.
    const { run: view } = await client.request<StartResponse>('POST', '/v1/runs', {
      spec: { command: 'sh', args: ['-c', 'env > env.txt'], cwd: t.home },
    });
    t.trackRun(view);
    const childEnv = await until(() => {
      try {
        const text = readFileSync(join(t.home, 'env.txt'), 'utf8');
        return text.includes('PATH=') ? text : undefined;
      } catch {
        return undefined;
      }
    });
    expect(childEnv).not.toMatch(/MALLOC_|RUNLEDGER_DAEMON_MALLOC_ENV/);
  });

  it('ends with exactly one daemon when five CLIs race to start it', async () => {
    const outputs = await Promise.all(Array.from({ length: 5 }, () => run(process.execPath, [racer, t.home])));
    const pids = new Set(outputs.map((o) => Number(o.stdout.trim())));
    for (const pid of pids) t.daemonPids.add(pid);
    expect(pids.size).toBe(1);
    expect(daemonPidsOf(t.home)).toEqual([...pids]);
    const status = await daemonStatus(t.home);
    expect(status).toMatchObject({ running: true, pid: [...pids][0], home: t.home });
    await stopDaemon(t.home);
    expect(daemonPidsOf(t.home)).toEqual([]);
  });

  it('start refuses a second daemon; status and stop work without one', async () => {
    expect(await daemonStatus(t.home)).toMatchObject({ running: false, pid: null });
    expect(await stopDaemon(t.home)).toEqual({ wasRunning: false, pid: null });
    const started = await startDaemon(t.home);
    t.trackDaemon(started!.client);
    const err = await startDaemon(t.home).catch((e: unknown) => e);
    expect(isRunledgerError(err, 'DAEMON_RUNNING')).toBe(true);
  });

  it('on SIGTERM leaves children running and records SupervisorStopped; the next daemon adopts them', async () => {
    const { client, view } = await startRun(t.home);
    const child = view.attempts[0]!.pid!;
    const daemonPid = client.status.pid!;
    kill(daemonPid, 'SIGTERM');
    expect(await waitForPidExit(daemonPid, 20_000)).toBe(true);
    expect(isPidAlive(child)).toBe(true);
    expect(await connectDaemon(t.home)).toBeNull();
    const stopped = (await readLedger(t.home)).filter((e) => e.type === 'SupervisorStopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.data).toMatchObject({ reason: 'signal', leftRunning: 1 });

    const next = t.trackDaemon(await ensureDaemon(t.home));
    expect(next.status.pid).not.toBe(daemonPid);
    const events: { type: string; streamId: string }[] = [];
    await next.stream(`/v1/events?run=${view.id}`, (e) => events.push(e as { type: string; streamId: string }));
    expect(events.map((e) => e.type)).toContain('ProcessAdopted');
    const { runs } = await next.request<ListResponse>('GET', '/v1/runs');
    expect(runs.map((r) => [r.id, r.status, r.attempts[0]?.pid])).toEqual([[view.id, 'running', child]]);
  });

  it('after kill -9 of the daemon, a new daemon reconciles: live runs adopted, ended ones recovered', async () => {
    const { client, view: long } = await startRun(t.home);
    const { run: short } = await client.request<StartResponse>('POST', '/v1/runs', { spec: sleepSpec(300) });
    t.trackRun(short);
    const daemonPid = client.status.pid!;
    kill(daemonPid, 'SIGKILL');
    expect(await waitForPidExit(daemonPid, 20_000)).toBe(true);
    // While no daemon watches, one child ends; only the shim sees it.
    kill(short.attempts[0]!.pid!, 'SIGTERM');
    await until(() => !isPidAlive(short.attempts[0]!.pid!));

    const next = t.trackDaemon(await ensureDaemon(t.home));
    const { runs } = await next.request<ListResponse>('GET', '/v1/runs?all=1');
    const byId = new Map(runs.map((r) => [r.id, r]));
    expect(byId.get(long.id)).toMatchObject({ status: 'running' });
    // Killed by someone else, not by a stop we requested: the supervisor calls that failed.
    expect(byId.get(short.id)).toMatchObject({ status: 'failed', signal: 'SIGTERM' });
    const active = await next.request<ListResponse>('GET', '/v1/runs');
    expect(active.runs.map((r) => r.id)).toEqual([long.id]);
    const types = (await collect(next, '/v1/events')).map((e) => e.type);
    expect(types).toContain('ProcessAdopted');
    expect(types).toContain('ExitRecovered');
    expect(types.filter((x) => x === 'SupervisorStopped')).toHaveLength(0);
  });

  it('shutdown with stopRuns stops the children before the daemon exits', async () => {
    const { client, view } = await startRun(t.home);
    const child = view.attempts[0]!.pid!;
    const result = await stopDaemon(t.home, { stopRuns: true });
    expect(result).toEqual({ wasRunning: true, pid: client.status.pid });
    expect(isPidAlive(child)).toBe(false);
    const events = await readLedger(t.home);
    expect(events.find((e) => e.type === 'RunEnded')?.data).toMatchObject({ status: 'stopped' });
    expect(events[events.length - 1]!.type).toBe('SupervisorStopped');
  });
});

async function collect(client: { stream(p: string, f: (o: unknown) => void): Promise<void> }, path: string): Promise<{ type: string }[]> {
  const out: { type: string }[] = [];
  await client.stream(path, (o) => out.push(o as { type: string }));
  return out;
}
