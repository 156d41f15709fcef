/**
 * Readiness per attempt, min-uptime, port ownership and bounded evidence, on
 * real processes and a real ledger (issue 11, cases 4, 8, 9 and 10).
 */
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, Harness, isAlive, waitUntil } from './support.js';

const h = new Harness();
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  await h.cleanup();
});

const node = process.execPath;

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((s) => s.end()).listen(0, '127.0.0.1', () => {
      servers.push(server);
      resolve({ server, port: (server.address() as { port: number }).port });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('readiness is per attempt (case 4)', () => {
  it('attempt 1 fails readiness, on-failure restarts it, attempt 2 prints its ready line and becomes ready', async () => {
    const home = h.home();
    const { supervisor: sup, store } = await h.open(home);
    const counter = join(home, 'starts');
    const { run } = await sup.start({
      command: node,
      args: [fixture('attempt-counter.mjs'), counter, 'ready-from', '2'],
      // Long enough for a node start on a loaded machine (a later attempt would do as well, see below).
      ready: { line: '^SERVER UP$', timeout: '4s' },
      restart: { policy: 'on-failure', backoff: '20ms', maxRestarts: 3 },
      grace: '2s',
    });
    h.trackRun(run);
    const ready = await sup.wait(run.id, 'ready');
    h.trackRun(ready);
    expect(ready.status).toBe('running');
    const last = ready.attempts.at(-1)!;
    expect(last.n).toBeGreaterThanOrEqual(2);
    expect(last.readyAt).not.toBeNull();
    const events = (await store.readStream(`run-${run.id}`)).map((e) => [e.type, (e.data as { attempt?: number }).attempt]);
    expect(events).toContainEqual(['ReadinessFailed', 1]);
    expect(events).toContainEqual(['RestartScheduled', 1]);
    expect(events).toContainEqual(['ProcessReady', last.n]);
  });

  it('every attempt gets its own deadline: attempts that never get ready each fail, up to max restarts', async () => {
    const home = h.home();
    const { supervisor: sup, store } = await h.open(home);
    const { run } = await sup.start({
      command: node,
      args: [fixture('attempt-counter.mjs'), join(home, 'starts'), 'ready-from', '99'],
      ready: { line: '^SERVER UP$', timeout: '500ms' },
      restart: { policy: 'on-failure', backoff: '20ms', maxRestarts: 1 },
      grace: '2s',
    });
    const ended = await sup.wait(run.id);
    expect(ended.status).toBe('failed');
    expect(ended.reason).toContain('reached max restarts (1)');
    const failures = (await store.readStream(`run-${run.id}`))
      .filter((e) => e.type === 'ReadinessFailed')
      .map((e) => (e.data as { attempt: number }).attempt);
    expect(failures).toEqual([1, 2]);
  });
});

describe('min-uptime (case 10)', () => {
  it('an attempt that stayed up min-uptime resets the restart count, so max-restarts is not exhausted for life', async () => {
    const home = h.home();
    const { supervisor: sup, store } = await h.open(home);
    // Each attempt is up 1.2 s > min-uptime 300 ms, crashes, and the 4th exits 0: with maxRestarts 1
    // and no reset the run would fail after attempt 2.
    const { run } = await sup.start({
      command: node,
      args: [fixture('attempt-counter.mjs'), join(home, 'starts'), 'exit-after', '1200', '4'],
      restart: { policy: 'on-failure', maxRestarts: 1, backoff: '20ms', minUptime: '300ms' },
    });
    const ended = await sup.wait(run.id);
    expect(ended).toMatchObject({ status: 'completed', exitCode: 0, restarts: 1 });
    expect(ended.attempts.map((a) => a.exitCode)).toEqual([1, 1, 1, 0]);
    const resets = (await store.readStream(`run-${run.id}`))
      .filter((e) => e.type === 'RestartScheduled')
      .map((e) => (e.data as { countReset?: boolean }).countReset ?? false);
    expect(resets).toEqual([false, true, true]);
  });
});

describe('--ready-port checks who listens (case 8)', () => {
  it('a port already held by another process is a readiness failure naming the holder', async () => {
    const { port } = await listen();
    const { supervisor: sup } = await h.open(h.home());
    const { run } = await sup.start({ command: 'sleep', args: ['30'], ready: { port, timeout: '10s' }, grace: '1s' });
    h.trackRun(run);
    const ended = await sup.wait(run.id);
    expect(ended.status).toBe('failed');
    expect(ended.attempts[0]!.readyAt).toBeNull();
    expect(ended.readinessFailure).toMatchObject({ reason: 'port-held' });
    expect(ended.readinessFailure!.message).toContain(`pid ${process.pid}`);
    expect(ended.readinessFailure!.message).toContain(process.execPath);
    expect(isAlive(run.attempts[0]!.pid!)).toBe(false);
  });

  it("the attempt's own listener, opened by a child of the command, makes it ready via port", async () => {
    const port = await freePort();
    const { supervisor: sup, store } = await h.open(h.home());
    // sh stays the leader (a command follows), the listener is its child.
    const script = `require('net').createServer().listen(${port}, '127.0.0.1')`;
    const { run } = await sup.start({ command: 'sh', args: ['-c', `"${node}" -e "${script}"; true`], ready: { port, timeout: '10s' } });
    h.trackRun(run);
    await sup.wait(run.id, 'ready');
    const readyEvent = (await store.readStream(`run-${run.id}`)).find((e) => e.type === 'ProcessReady');
    expect(readyEvent?.data).toMatchObject({ attempt: 1, via: 'port' });
  });
});

describe('bounded evidence (case 9)', () => {
  it('25 stderr lines of 70 kB before a readiness failure make a small event, marked as cut', async () => {
    const { supervisor: sup, store } = await h.open(h.home());
    // It exits before ready: the failure is recorded after its output was drained, however slow the machine.
    const script = "for (let i = 0; i < 25; i++) require('fs').writeSync(2, i + ':' + 'x'.repeat(70000) + '\\n'); process.exit(3)";
    const { run } = await sup.start({ command: node, args: ['-e', script], ready: { line: 'never', timeout: '20s' } });
    h.trackRun(run);
    await sup.wait(run.id);
    const failed = (await store.readStream(`run-${run.id}`)).find((e) => e.type === 'ReadinessFailed')!;
    const bytes = Buffer.byteLength(JSON.stringify(failed.data));
    expect(bytes).toBeLessThanOrEqual(8192 + 1024);
    const tail = (failed.data as { stderrTail: string[] }).stderrTail;
    // Which line is last depends on how much the bounded drain (2 s) read on a busy machine; every kept line is cut and marked.
    // When the drain stopped inside the first line, the tail holds only that line's end (no `N:` prefix): seen under load.
    expect(tail.at(-1)).toMatch(/^(\d+:)?x+ …\[\+\d+ bytes, cut\]$/);
  });
});

describe('a driver-written ProcessStatusUnknown (case 10)', () => {
  it('carries expected and reason in its evidence, like reconcile findings', async () => {
    const home = h.home();
    const first = await h.open(home);
    const { run } = await first.supervisor.start({ command: 'sleep', args: ['30'] });
    h.trackRun(run);
    const a = run.attempts[0]!;
    // A supervisor that adopted the attempt is not the shim's parent, so it has no shim exit status to fall back on.
    await first.close();
    const { supervisor: sup, store } = await h.open(home);
    // Freeze the shim so it cannot write exit.json, kill the child, then the shim: no exit record is left.
    process.kill(a.shimPid!, 'SIGSTOP');
    process.kill(-a.pgid!, 'SIGKILL');
    await waitUntil(() => !isAlive(a.pid!), 'the child to die');
    process.kill(a.shimPid!, 'SIGKILL');
    const ended = await sup.wait(run.id);
    expect(ended.status).toBe('unknown');
    const finding = (await store.readStream(`run-${run.id}`)).find((e) => e.type === 'ProcessStatusUnknown')!;
    expect(finding.data).toMatchObject({
      attempt: 1,
      reason: 'exited without an exit record',
      evidence: {
        expected: { pid: a.pid, pgid: a.pgid, startTime: a.startTime, bootId: a.bootId },
        reason: 'exited without an exit record',
      },
    });
  });
});
