/**
 * GET /v1/runs/:id/wait (issue 12) and the log follower's resume point: the
 * daemon answers a wait once it is decided, releases it when the client
 * leaves, and resumes a numbered log stream right after a cursor.
 */
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListResponse, LogLine, StartResponse } from '../../src/daemon/api.js';
import type { DaemonClient } from '../../src/daemon/client.js';
import type { RunningDaemon } from '../../src/daemon/foreground.js';
import { isRunledgerError } from '../../src/errors.js';
import { fixture, sleepSpec, TestHome, until } from './helpers.js';

let t: TestHome;
let client: DaemonClient;
let daemon: RunningDaemon;

beforeEach(async () => {
  t = new TestHome();
  ({ client, daemon } = await t.openInProcess());
});
afterEach(() => t.cleanup());

async function start(spec: Record<string, unknown>) {
  const { run } = await client.request<StartResponse>('POST', '/v1/runs', { spec: { cwd: tmpdir(), ...spec } });
  return t.trackRun(run);
}

async function collect<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  await client.stream(path, (o) => out.push(o as T), signal ? { signal } : {});
  return out;
}

describe('wait route', () => {
  it('answers once the run is ready, and with an unreachable verdict when it ends first', async () => {
    const ready = await start({ command: process.execPath, args: [fixture('ready-after.mjs'), '200', 'UP'], ready: { line: 'UP' } });
    const [answer] = await collect<any>(`/v1/runs/${ready.id}/wait?for=ready`);
    expect(answer.verdict).toEqual({ state: 'reached' });
    expect(answer.run).toMatchObject({ id: ready.id, ready: true });

    const failing = await start({
      command: process.execPath,
      args: [fixture('fail-after.mjs'), '50', '3', 'no port'],
      ready: { line: 'UP' },
    });
    const [never] = await collect<any>(`/v1/runs/${failing.id}/wait?for=ready`);
    expect(never.verdict.state).toBe('unreachable');
    expect(never.verdict.readiness.stderrTail).toContain('no port');
    await client.request('POST', `/v1/runs/${ready.id}/stop`, { force: true, wait: true });
  });

  it('a waiter that leaves is released; a bad condition is a bad request', async () => {
    const run = await start(sleepSpec());
    const abort = new AbortController();
    const waiting = collect(`/v1/runs/${run.id}/wait?for=exit`, abort.signal);
    await until(() => daemon.context.openStreams.size === 1);
    abort.abort();
    expect(await waiting).toEqual([]);
    await until(() => daemon.context.openStreams.size === 0);
    const bad = await client.stream(`/v1/runs/${run.id}/wait?for=lunch`, () => undefined).catch((e: unknown) => e);
    expect(isRunledgerError(bad, 'BAD_REQUEST')).toBe(true);
    await client.request('POST', `/v1/runs/${run.id}/stop`, { force: true, wait: true });
  });
});

describe('log cursor', () => {
  it('numbers lines and resumes right after a cursor', async () => {
    const run = await start({ command: 'sh', args: ['-c', 'for i in 1 2 3 4; do echo out$i; echo err$i >&2; done'] });
    await until(async () =>
      (await client.request<ListResponse>('GET', '/v1/runs?all=1')).runs.find((r) => r.id === run.id && r.status === 'completed'),
    );
    const numbered = await collect<LogLine>(`/v1/runs/${run.id}/logs?follow=1&cursor=1&stream=stdout`);
    expect(numbered.map((l) => [l.line, l.attempt, l.seq])).toEqual([
      ['out1', 1, 1],
      ['out2', 1, 2],
      ['out3', 1, 3],
      ['out4', 1, 4],
    ]);
    const resumed = await collect<LogLine>(`/v1/runs/${run.id}/logs?follow=1&resume=1:2:3`);
    expect(resumed.map((l) => l.line).sort()).toEqual(['err4', 'out3', 'out4']);
    const bad = await client.stream(`/v1/runs/${run.id}/logs?resume=1:2`, () => undefined).catch((e: unknown) => e);
    expect(isRunledgerError(bad, 'BAD_REQUEST')).toBe(true);
  });
});
