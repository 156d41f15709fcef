/**
 * Reconcile on real processes: a supervisor is SIGKILLed, the world changes
 * while it is down, and the next supervisor appends what it finds — with
 * the real exit code when the shim recorded one.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/events/envelope.js';
import type { RuntimeAdapter } from '../../src/runtime/adapter.js';
import { createBackgroundRuntime } from '../../src/runtime/background.js';
import { openLedger } from '../../src/store/level-store.js';
import { Supervisor } from '../../src/supervisor/supervisor.js';
import { fixture, Harness, isAlive, killGroup, typesOf, waitUntil } from './support.js';

const HOST = resolve(import.meta.dirname, 'host.mjs');
const h = new Harness();
const hosts: number[] = [];
afterEach(async () => {
  for (const pid of hosts.splice(0)) killGroup(pid);
  await h.cleanup();
});

interface Hosted {
  runId: string;
  pid: number;
  pgid: number;
  shimPid: number;
  host: number;
}

if (!existsSync(resolve(import.meta.dirname, '../../dist/index.js'))) {
  throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
}

/** Start a supervisor process that starts `spec`, wait for its report, then SIGKILL it. */
async function startThenKillSupervisor(home: string, spec: object, action?: 'stop'): Promise<Hosted> {
  const child = spawn(process.execPath, [HOST, home, JSON.stringify(spec), ...(action ? [action] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  hosts.push(child.pid!);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const line = await new Promise<string>((resolveLine, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolveLine);
    void exited.then(() => reject(new Error('host exited before reporting')));
  });
  const hosted = { ...(JSON.parse(line) as Omit<Hosted, 'host'>), host: child.pid! };
  h.track(hosted.pgid, hosted.shimPid);
  process.kill(child.pid!, 'SIGKILL');
  // Wait for the reap, not for the zombie: a killed process's leader turns Z while its other
  // threads (LevelDB's among them) still hold the shared descriptors, and so the ledger lock.
  await exited;
  return hosted;
}

const waitForTrigger = (file: string, code: number) => ({
  command: 'sh',
  args: ['-c', `while [ ! -e '${file}' ]; do sleep 0.05; done; exit ${code}`],
});

function ofRun(events: EventEnvelope[], runId: string, type: string): EventEnvelope[] {
  return events.filter((e) => e.streamId === `run-${runId}` && e.type === type);
}

describe('reconcile after a supervisor crash (kill -9)', () => {
  it('a child that exits with 7 while the supervisor is down is recorded as ExitRecovered with code 7', async () => {
    const home = h.home();
    const trigger = join(home, 'trigger');
    const hosted = await startThenKillSupervisor(home, waitForTrigger(trigger, 7));
    writeFileSync(trigger, '');
    await waitUntil(() => !isAlive(hosted.pid), 'child to exit');

    const { supervisor, store } = await h.open(home);
    const events = await store.readAll();
    expect(ofRun(events, hosted.runId, 'ExitRecovered')[0]?.data).toMatchObject({ attempt: 1, exitCode: 7, signal: null });
    expect(supervisor.get(hosted.runId)).toMatchObject({ status: 'failed', exitCode: 7 });
    // The run ended when the child did (the shim's exitedAt), not when we came back and found out.
    const exitedAt = (ofRun(events, hosted.runId, 'ExitRecovered')[0]!.data as { exitedAt: string }).exitedAt;
    expect(supervisor.get(hosted.runId).endedAt).toBe(exitedAt);
    const report = events.filter((e) => e.type === 'ReconcileCompleted').at(-1)!.data as { report: Record<string, number> };
    expect(report.report).toMatchObject({ checked: 1, recovered: 1, adopted: 0, stale: 0, unknown: 0 });
    expect(typesOf(events).filter((t) => t === 'SupervisorStopped')).toEqual([]);
  });

  it('leftovers of an exit that happened while the supervisor was down are reaped by the next one, then the exit is recorded', async () => {
    const home = h.home();
    const trigger = join(home, 'trigger');
    const script = `sleep 1008 & echo LEFT $!; while [ ! -e '${trigger}' ]; do sleep 0.05; done`;
    const hosted = await startThenKillSupervisor(home, { command: script, shell: true, grace: '3s' });
    const log = join(home, 'runs', hosted.runId, '1', 'stdout.log');
    await waitUntil(() => existsSync(log) && /LEFT \d+/.test(readFileSync(log, 'utf8')), 'the LEFT line');
    const left = Number(/LEFT (\d+)/.exec(readFileSync(log, 'utf8'))![1]);
    h.track(left);
    writeFileSync(trigger, '');
    await waitUntil(() => !isAlive(hosted.pid), 'the main process to exit');
    expect(isAlive(left)).toBe(true);

    const { supervisor, store } = await h.open(home);
    expect((await supervisor.wait(hosted.runId)).status).toBe('completed');
    expect(isAlive(left)).toBe(false);
    expect(ofRun(await store.readAll(), hosted.runId, 'TreeReaped')[0]?.data).toMatchObject({
      attempt: 1,
      pids: [{ pid: left, command: 'sleep' }],
      survivors: [],
    });
  });

  it('a child still alive is adopted once; its later exit is captured by the new supervisor; reconcile again appends nothing', async () => {
    const home = h.home();
    const trigger = join(home, 'trigger');
    const hosted = await startThenKillSupervisor(home, waitForTrigger(trigger, 7));
    const { supervisor, store } = await h.open(home);
    expect(ofRun(await store.readAll(), hosted.runId, 'ProcessAdopted')).toHaveLength(1);

    const head = (await store.head()).position;
    expect(await supervisor.reconcile()).toMatchObject({ checked: 1, adopted: 0 });
    expect((await store.head()).position).toBe(head);

    writeFileSync(trigger, '');
    const ended = await supervisor.wait(hosted.runId);
    expect(ended).toMatchObject({ status: 'failed', exitCode: 7 });
    expect(ofRun(await store.readAll(), hosted.runId, 'ProcessExited')[0]?.data).toMatchObject({ exitCode: 7 });
  });

  it('an adopted run still has its timeout enforced', async () => {
    const home = h.home();
    const hosted = await startThenKillSupervisor(home, { command: 'sleep', args: ['30'], timeout: '1500ms' });
    const { supervisor } = await h.open(home);
    const ended = await supervisor.wait(hosted.runId);
    expect(ended.status).toBe('timeout');
    expect(isAlive(hosted.pid)).toBe(false);
  });

  it('a child gone with no exit record (its shim killed too) is ProcessStatusUnknown with evidence', async () => {
    const home = h.home();
    const hosted = await startThenKillSupervisor(home, { command: 'sleep', args: ['30'] });
    process.kill(hosted.shimPid, 'SIGKILL');
    await waitUntil(() => !isAlive(hosted.shimPid), 'shim to die');
    killGroup(hosted.pgid);
    await waitUntil(() => !isAlive(hosted.pid), 'child to die');

    const { supervisor, store } = await h.open(home);
    const unknown = ofRun(await store.readAll(), hosted.runId, 'ProcessStatusUnknown')[0];
    expect(unknown?.data).toMatchObject({ attempt: 1, evidence: { expected: { pid: hosted.pid }, reason: 'gone-no-exit-record' } });
    expect(supervisor.get(hosted.runId).status).toBe('unknown');
  });

  it('a lost shim with a live child is adopted, recorded as ShimLost, and still stoppable', async () => {
    const home = h.home();
    const hosted = await startThenKillSupervisor(home, { command: 'sleep', args: ['1099'], grace: '2s' });
    process.kill(hosted.shimPid, 'SIGKILL');
    await waitUntil(() => !isAlive(hosted.shimPid), 'shim to die');

    const { supervisor, store } = await h.open(home);
    expect(supervisor.get(hosted.runId).status).toBe('running');
    expect(ofRun(await store.readAll(), hosted.runId, 'ProcessAdopted')).toHaveLength(1);
    await waitUntil(async () => ofRun(await store.readAll(), hosted.runId, 'ShimLost').length === 1, 'ShimLost to be recorded');
    expect(ofRun(await store.readAll(), hosted.runId, 'ShimLost')[0]?.data).toMatchObject({
      attempt: 1,
      shimPid: hosted.shimPid,
      childPid: hosted.pid,
    });

    const stopped = await supervisor.stop(hosted.runId, { wait: true });
    expect(isAlive(hosted.pid)).toBe(false);
    expect(stopped.status).toBe('stopped');
    expect(ofRun(await store.readAll(), hosted.runId, 'ProcessExited')[0]?.data).toMatchObject({
      exitCode: null,
      signal: null,
      codeUnknown: 'shim lost',
    });
  });

  it('a stop whose grace period ran out while we were down is resumed: the TERM-ignoring child is killed', async () => {
    const home = h.home();
    const hosted = await startThenKillSupervisor(
      home,
      { command: process.execPath, args: [fixture('ignore-sigterm.mjs')], ready: { line: 'IGNORING' }, grace: '600ms' },
      'stop',
    );
    expect(isAlive(hosted.pid)).toBe(true);
    await new Promise((r) => setTimeout(r, 800));
    expect(isAlive(hosted.pid)).toBe(true);

    const { supervisor, store } = await h.open(home);
    const ended = await supervisor.wait(hosted.runId);
    expect(ended).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
    expect(isAlive(hosted.pid)).toBe(false);
    const report = (await store.readAll()).filter((e) => e.type === 'ReconcileCompleted').at(-1)!.data as {
      report: Record<string, number>;
    };
    expect(report.report.resumedStops).toBe(1);
  });
});

/** The real background runtime, except that it records a wrong start time: as if the pid were recycled later. */
function recordingWrongStartTime(inner: RuntimeAdapter): RuntimeAdapter {
  return {
    ...inner,
    kind: inner.kind,
    async spawn(req) {
      const p = await inner.spawn(req);
      return { ...p, identity: { ...p.identity, startTime: String(BigInt(p.identity.startTime) - 1n) } };
    },
  };
}

describe('a recycled pid is never signalled', () => {
  it('reconcile marks the attempt stale (pid alive, start time differs) and leaves the process alone', async () => {
    const home = h.home();
    const store = await openLedger({ dir: join(home, 'ledger') });
    const runtime = createBackgroundRuntime({ stateDir: home });
    const first = await Supervisor.open({ store, runtime: recordingWrongStartTime(runtime), gitInfo: false });
    const { run } = await first.start({ command: 'sleep', args: ['30'] });
    const pid = run.attempts[0]!.pid!;
    h.trackRun(run);
    first.abandon();
    await runtime.close();
    await store.close();

    const { supervisor, store: store2 } = await h.open(home);
    const stale = ofRun(await store2.readAll(), run.id, 'ProcessMarkedStale')[0];
    expect(stale?.data).toMatchObject({ attempt: 1, evidence: { reason: 'pid-reused' } });
    expect(supervisor.get(run.id).status).toBe('stale');
    await supervisor.stop(run.id);
    expect(isAlive(pid)).toBe(true);
    expect(ofRun(await store2.readAll(), run.id, 'SignalSent')).toEqual([]);
  });

  it('an interrupt reports the run as stale instead of signalling it', async () => {
    const home = h.home();
    const store = await openLedger({ dir: join(home, 'ledger') });
    const runtime = createBackgroundRuntime({ stateDir: home });
    const sup = await Supervisor.open({ store, runtime: recordingWrongStartTime(runtime), gitInfo: false });
    try {
      const { run } = await sup.start({ command: 'sleep', args: ['30'], owner: { session: 'S' } });
      h.trackRun(run);
      const report = await sup.interrupt({ session: 'S' });
      expect(report.stale.map((r) => r.id)).toEqual([run.id]);
      expect(report.signaled).toEqual([]);
      expect(isAlive(run.attempts[0]!.pid!)).toBe(true);
      expect(sup.get(run.id).status).toBe('stale');
    } finally {
      await sup.close();
      await runtime.close();
      await store.close();
    }
  });
});
