/** NDJSON streams: events (history, then live until the client leaves), logs (last n, per stream, follow), export. */
import { tmpdir } from 'node:os';
import { finalize } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListResponse, LogLine, ReplayResponse, StartResponse } from '../../src/daemon/api.js';
import type { DaemonClient } from '../../src/daemon/client.js';
import type { RunningDaemon } from '../../src/daemon/foreground.js';
import type { EventEnvelope } from '../../src/events/envelope.js';
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

async function collect<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  await client.stream(path, (o) => out.push(o as T));
  return out;
}

describe('events stream', () => {
  it('delivers history then live events, and unsubscribes when the client disconnects', async () => {
    let live = 0;
    const store = daemon.context.store;
    const original = store.subscribeAll.bind(store);
    store.subscribeAll = (o) => {
      live++;
      return original(o).pipe(finalize(() => live--));
    };
    const seen: EventEnvelope[] = [];
    const abort = new AbortController();
    const following = client.stream('/v1/events?follow=1', (e) => seen.push(e as EventEnvelope), { signal: abort.signal });
    await until(() => seen.some((e) => e.type === 'SupervisorStarted'));
    const run = await start(sleepSpec());
    await until(() => seen.some((e) => e.type === 'ProcessSpawned' && e.streamId === `run-${run.id}`));
    expect(live).toBe(1);
    expect(seen.map((e) => e.position)).toEqual(seen.map((_, i) => i + 1));
    abort.abort();
    await following;
    await until(() => live === 0 && daemon.context.openStreams.size === 0);
    await client.request('POST', `/v1/runs/${run.id}/stop`, { force: true, wait: true });
  });

  it('filters by run, type and position', async () => {
    const a = await start(sleepSpec());
    const b = await start(sleepSpec());
    const ofA = await collect<EventEnvelope>(`/v1/events?run=${a.shortId}`);
    expect(new Set(ofA.map((e) => e.streamId))).toEqual(new Set([`run-${a.id}`]));
    const requested = await collect<EventEnvelope>('/v1/events?type=RunRequested');
    expect(requested.map((e) => e.streamId)).toEqual([`run-${a.id}`, `run-${b.id}`]);
    const fromTwo = await collect<EventEnvelope>('/v1/events?from=2&type=RunRequested,SupervisorStarted');
    expect(fromTwo.every((e) => e.position >= 2 && e.type === 'RunRequested')).toBe(true);
    const recent = await collect<EventEnvelope>('/v1/events?since=1h');
    expect(recent.length).toBeGreaterThan(0);
    await client.request('POST', '/v1/stop', { ids: [a.id, b.id], force: true, wait: true });
  });
});

describe('logs stream', () => {
  it('gives the last n lines of each selected stream', async () => {
    const run = await start({ command: 'sh', args: ['-c', 'for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done'] });
    await until(async () =>
      (await client.request<ListResponse>('GET', '/v1/runs?all=1')).runs.find((r) => r.id === run.id && r.status === 'completed'),
    );
    const all = await collect<LogLine>(`/v1/runs/${run.id}/logs`);
    expect(all.filter((l) => l.stream === 'stdout').map((l) => l.line)).toEqual(['out1', 'out2', 'out3', 'out4', 'out5']);
    expect(await collect<LogLine>(`/v1/runs/${run.id}/logs?n=2&stream=stderr`)).toEqual([
      { stream: 'stderr', line: 'err4' },
      { stream: 'stderr', line: 'err5' },
    ]);
    expect(await collect<LogLine>(`/v1/runs/${run.id}/logs?n=0`)).toEqual([]);
  });

  it('pages from a line number with indexes, and reads an earlier attempt (attempt=, from=)', async () => {
    const run = await start({ command: 'sh', args: ['-c', 'for i in 1 2 3 4 5; do echo out$i; done'] });
    await until(async () =>
      (await client.request<ListResponse>('GET', '/v1/runs?all=1')).runs.find((r) => r.id === run.id && r.status === 'completed'),
    );
    expect(await collect<LogLine>(`/v1/runs/${run.id}/logs?stream=stdout&from=3`)).toEqual([
      { stream: 'stdout', line: 'out4', index: 3 },
      { stream: 'stdout', line: 'out5', index: 4 },
    ]);
    // n still means "the last n", but never before `from`.
    expect((await collect<LogLine>(`/v1/runs/${run.id}/logs?stream=stdout&from=1&n=2`)).map((l) => l.index)).toEqual([3, 4]);
    expect((await collect<LogLine>(`/v1/runs/${run.id}/logs?stream=stdout&from=4&n=3`)).map((l) => l.index)).toEqual([4]);
    expect((await collect<LogLine>(`/v1/runs/${run.id}/logs?stream=stdout&attempt=1`)).length).toBe(5);
    await expect(collect(`/v1/runs/${run.id}/logs?attempt=2`)).rejects.toMatchObject({ code: 'ATTEMPT_NOT_FOUND' });
    // Following one attempt of an ended run: what it wrote, then the end.
    expect((await collect<LogLine>(`/v1/runs/${run.id}/logs?follow=1&stream=stdout&attempt=1`)).length).toBe(5);
    // Following from a count: the run has ended, so the stream gives what is past it and ends.
    expect((await collect<LogLine>(`/v1/runs/${run.id}/logs?follow=1&stream=stdout&from=3`)).map((l) => l.line)).toEqual(['out4', 'out5']);
  });

  it('follows live output until the run ends', async () => {
    const run = await start({ command: process.execPath, args: [fixture('ready-after.mjs'), '50', 'hello-from-child'] });
    const lines: LogLine[] = [];
    const following = client.stream(`/v1/runs/${run.id}/logs?follow=1&n=10`, (l) => lines.push(l as LogLine));
    await until(() => lines.some((l) => l.line === 'hello-from-child'));
    await client.request('POST', `/v1/runs/${run.id}/stop`, { wait: true });
    await following; // ends by itself once the run has ended and its logs are drained
    expect(lines).toEqual([{ stream: 'stdout', line: 'hello-from-child' }]);
    expect(daemon.context.openStreams.size).toBe(0);
  });
});

describe('other routes', () => {
  it('exports the ledger, replays the past, verifies and interrupts by scope', async () => {
    const run = await start({ ...sleepSpec(), owner: { session: 's1', turn: 't1' } });
    const exported = await collect<{ position: number; hash: string }>('/v1/export');
    expect(exported.map((e) => e.position)).toEqual(exported.map((_, i) => i + 1));
    expect((await collect<{ streamId: string }>(`/v1/export?run=${run.id}`)).every((e) => e.streamId === `run-${run.id}`)).toBe(true);
    const head = exported.length;
    const report = await client.request<{ signaled: { id: string }[] }>('POST', '/v1/interrupt', { scope: { session: 's1' } });
    expect(report.signaled.map((r) => r.id)).toEqual([run.id]);
    await until(async () => (await client.request<ListResponse>('GET', '/v1/runs')).runs.length === 0);
    const then = await client.request<ReplayResponse>('GET', `/v1/replay?at=${head}`);
    expect(then.runs.map((r) => [r.id, r.status])).toEqual([[run.id, 'running']]);
    const now = await client.request<ReplayResponse>(`GET`, `/v1/replay?at=${encodeURIComponent(new Date().toISOString())}&all=1`);
    expect(now.runs[0]?.status).toBe('interrupted');
    expect(await client.request('GET', '/v1/verify')).toMatchObject({ ok: true });
  });
});
