/**
 * The Supervisor on real processes, real signals, real LevelDB: readiness,
 * group stop, timeouts, restarts, checkpoints, interrupts.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAlive } from '../../src/runtime/proc.js';
import type { EmbeddedSupervisor } from '../../src/supervisor/embedded.js';
import { fixture, Harness, isAlive, typesOf, waitUntil } from './support.js';

const h = new Harness();
afterEach(() => h.cleanup());

const node = process.execPath;

describe('Supervisor with real processes', () => {
  it('records a failing exit code and ends the run failed', async () => {
    const { supervisor: sup, store } = await h.open(h.home());
    const { run } = await sup.start({ command: node, args: [fixture('exit-with-code.mjs'), '3'] });
    const ended = await sup.wait(run.id);
    expect(ended).toMatchObject({ status: 'failed', exitCode: 3, reason: 'exited with code 3' });
    expect(typesOf(await store.readAll(), run.id)).toEqual(['RunRequested', 'ProcessSpawned', 'ProcessExited', 'RunEnded']);
    const a = ended.attempts[0]!;
    expect(a.pid).toBeGreaterThan(0);
    expect(a.pgid).toBe(a.pid);
    expect(a.startTime).toMatch(/^\d+$/);
    expect(a.bootId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('group stop kills a TERM-ignoring grandchild and leaves nothing behind', async () => {
    const e = await h.open(h.home());
    const { supervisor: sup, store } = e;
    const { run } = await sup.start({ command: node, args: [fixture('grandchild-ignores-sigterm.mjs')], grace: '400ms' });
    const pgid = run.attempts[0]!.pgid!;
    await waitUntil(
      async () => (await store.readStream(`run-${run.id}`)).length >= 2 && readLog(e, run.id).includes('IGNORING'),
      'grandchild to start',
    );
    const grandchild = Number(/GRANDCHILD (\d+)/.exec(readLog(e, run.id))![1]);
    expect(isAlive(grandchild)).toBe(true);
    const stopped = await sup.stop(run.id, { wait: true });
    expect(stopped.status).toBe('killed');
    expect(isAlive(grandchild)).toBe(false);
    expect(await groupAlive(pgid)).toBe(false);
    const signals = (await store.readStream(`run-${run.id}`))
      .filter((e) => e.type === 'SignalSent')
      .map((e) => (e.data as { signal: string }).signal);
    expect(signals).toEqual(['SIGTERM', 'SIGCONT', 'SIGKILL']);
  });

  it('readiness by line: the run becomes running and ready', async () => {
    const { supervisor: sup } = await h.open(h.home());
    const { run } = await sup.start({
      command: node,
      args: [fixture('ready-after.mjs'), '150', 'SERVER UP'],
      ready: { line: '^SERVER UP$', timeout: '10s' },
    });
    expect(run.status).toBe('starting');
    const ready = await sup.wait(run.id, 'ready');
    expect(ready.status).toBe('running');
    expect(ready.attempts[0]!.readyAt).not.toBeNull();
  });

  it('readiness by TCP port', async () => {
    const port = await freePort();
    const { supervisor: sup, store } = await h.open(h.home());
    const script = `setTimeout(() => require('net').createServer().listen(${port}, '127.0.0.1'), 200)`;
    const { run } = await sup.start({ command: node, args: ['-e', script], ready: { port, timeout: '10s' } });
    await sup.wait(run.id, 'ready');
    const readyEvent = (await store.readStream(`run-${run.id}`)).find((e) => e.type === 'ProcessReady');
    expect(readyEvent?.data).toMatchObject({ via: 'port' });
  });

  it('readiness timeout: the run fails with the stderr tail and its process is stopped', async () => {
    const { supervisor: sup, store } = await h.open(h.home());
    // A shell prints in milliseconds; node's ~0.5 s start-up raced the 700 ms deadline on a loaded machine.
    const script = 'echo "warming up" >&2; echo "still warming" >&2; exec sleep 1000';
    const { run } = await sup.start({ command: 'sh', args: ['-c', script], ready: { line: 'never', timeout: '2s' }, grace: '300ms' });
    const ended = await sup.wait(run.id);
    expect(ended.status).toBe('failed');
    expect(ended.readinessFailure).toMatchObject({ reason: 'timeout' });
    expect(ended.readinessFailure!.stderrTail).toEqual(['warming up', 'still warming']);
    expect(isAlive(run.attempts[0]!.pid!)).toBe(false);
    expect(typesOf(await store.readAll(), run.id)).toContain('StopRequested');
  });

  it('readiness: an early exit fails the run with a clear reason', async () => {
    const { supervisor: sup } = await h.open(h.home());
    const { run } = await sup.start({
      command: node,
      args: ['-e', "console.error('config missing'); process.exit(2)"],
      ready: { line: 'ready', timeout: '10s' },
    });
    const ended = await sup.wait(run.id);
    expect(ended).toMatchObject({ status: 'failed', exitCode: 2 });
    expect(ended.reason).toContain('exited before ready');
    expect(ended.readinessFailure).toMatchObject({ reason: 'exited', stderrTail: ['config missing'] });
  });

  it('the child line protocol becomes Checkpointed events', async () => {
    const { supervisor: sup, store } = await h.open(h.home());
    const { run } = await sup.start({ command: node, args: [fixture('checkpoint.mjs'), 'build', 'test'] });
    await sup.wait(run.id);
    await waitUntil(
      async () => (await store.readStream(`run-${run.id}`)).filter((e) => e.type === 'Checkpointed').length === 2,
      'two checkpoints',
      40,
    );
    const cps = (await store.readStream(`run-${run.id}`))
      .filter((e) => e.type === 'Checkpointed')
      .map((e) => (e.data as { checkpoint: unknown }).checkpoint);
    expect(cps).toEqual([{ phase: 'build' }, { phase: 'test' }]);
  });

  it('a run timeout stops the run and ends it timeout', async () => {
    const { supervisor: sup } = await h.open(h.home());
    const { run } = await sup.start({ command: 'sleep', args: ['30'], timeout: '300ms' });
    const ended = await sup.wait(run.id);
    expect(ended).toMatchObject({ status: 'timeout', signal: 'SIGTERM', timedOut: true });
  });

  it('on-failure restarts with backoff up to maxRestarts, then fails', async () => {
    const { supervisor: sup, store } = await h.open(h.home());
    const { run } = await sup.start({
      command: node,
      args: [fixture('exit-with-code.mjs'), '1'],
      restart: { policy: 'on-failure', maxRestarts: 2, backoff: '20ms' },
    });
    const ended = await sup.wait(run.id);
    expect(ended.status).toBe('failed');
    expect(ended.attempts.map((a) => a.exitCode)).toEqual([1, 1, 1]);
    expect(typesOf(await store.readAll(), run.id).filter((t) => t === 'RestartScheduled')).toHaveLength(2);
  });

  it('interrupt signals exactly the runs of the scope', async () => {
    const { supervisor: sup } = await h.open(h.home());
    const a = await sup.start({ command: 'sleep', args: ['30'], owner: { session: 's1', turn: 't1' } });
    const b = await sup.start({ command: 'sleep', args: ['30'], owner: { session: 's1', turn: 't2' } });
    const c = await sup.start({ command: 'sleep', args: ['30'], owner: { session: 's2', turn: 't1' } });
    const report = await sup.interrupt({ session: 's1', turn: 't1' });
    expect(report.matched.map((r) => r.id)).toEqual([a.run.id]);
    expect(report.signaled.map((r) => r.id)).toEqual([a.run.id]);
    expect((await sup.wait(a.run.id)).status).toBe('interrupted');
    expect(sup.get(b.run.id).status).toBe('running');
    expect(sup.get(c.run.id).status).toBe('running');
    await expect(sup.interrupt({})).rejects.toMatchObject({ code: 'EMPTY_SCOPE' });
  });

  it('secret env values reach the child but never the ledger', async () => {
    const e = await h.open(h.home());
    const { supervisor: sup, store } = e;
    const { run } = await sup.start({ command: node, args: [fixture('print-env.mjs'), 'API_TOKEN'], env: { API_TOKEN: 'hunter2-secret' } });
    await sup.wait(run.id);
    await waitUntil(() => readLog(e, run.id).includes('API_TOKEN='), 'output');
    expect(readLog(e, run.id)).toContain('API_TOKEN=hunter2-secret');
    const ledgerText = JSON.stringify(await store.readAll());
    expect(ledgerText).not.toContain('hunter2-secret');
    expect(ledgerText).toContain('[REDACTED]');
  });

  it('logs rotate at the cap under a flood', async () => {
    const home = h.home();
    const { supervisor: sup } = await h.open(home);
    const { run } = await sup.start({
      command: node,
      args: [fixture('flood-stdout.mjs'), String(3_000_000)],
      logs: { maxBytes: 64 * 1024, keep: 2 },
    });
    expect((await sup.wait(run.id)).status).toBe('completed');
    const dir = join(home, 'runs', run.id, '1');
    const files = readdirSync(dir).filter((f) => f.startsWith('stdout.log') && !f.endsWith('.idx'));
    const total = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    expect(files.sort()).toEqual(['stdout.log', 'stdout.log.1', 'stdout.log.2']);
    // A file may run past the cap by the rest of the one line straddling it (100-byte lines here).
    expect(total).toBeLessThanOrEqual(3 * (64 * 1024 + 100));
  });

  it('two concurrent starts with one key create exactly one run', async () => {
    const { supervisor: sup } = await h.open(h.home());
    const [x, y] = await Promise.all([
      sup.start({ command: 'sleep', args: ['30'], key: 'k' }),
      sup.start({ command: 'sleep', args: ['30'], key: 'k' }),
    ]);
    expect(x.run.id).toBe(y.run.id);
    expect([x.reused, y.reused].sort()).toEqual([false, true]);
    expect(sup.list()).toHaveLength(1);
  });

  it('stopping 50 runs at once ends them all', async () => {
    const { supervisor: sup } = await h.open(h.home());
    const runs = await Promise.all(Array.from({ length: 50 }, () => sup.start({ command: 'sleep', args: ['60'] })));
    const ended = await Promise.all(runs.map(({ run }) => sup.stop(run.id, { wait: true })));
    expect(ended.every((r) => r.status === 'stopped')).toBe(true);
    expect(runs.every(({ run }) => !isAlive(run.attempts[0]!.pid!))).toBe(true);
  });
});

/** The latest attempt's stdout so far ('' until it exists). */
function readLog(e: EmbeddedSupervisor, runId: string): string {
  const logs = e.supervisor.get(runId).attempts.at(-1)?.logs;
  if (!logs) return '';
  try {
    return readFileSync(join(e.home, logs.stdout), 'utf8');
  } catch {
    return '';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
