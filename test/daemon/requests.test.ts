/** Bad input of every kind gets a 4xx with a code, and the daemon keeps serving. */
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/daemon/api.js';
import type { DaemonClient } from '../../src/daemon/client.js';
import { isRunledgerError } from '../../src/errors.js';
import { sleepSpec, TestHome } from './helpers.js';

let t: TestHome;
let client: DaemonClient;

beforeEach(async () => {
  t = new TestHome();
  ({ client } = await t.openInProcess());
});
afterEach(() => t.cleanup());

/** Send raw bytes as a request body; resolves with status and parsed body. */
function raw(
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string | number> = {},
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: client.socket, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function expectStillServing(): Promise<void> {
  const status = await client.request<{ running: boolean }>('GET', '/v1/status');
  expect(status.running).toBe(true);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isRunledgerError(err)) throw new Error(`expected a RunledgerError, got ${String(err)}`);
  return err.code;
}

describe('request validation', () => {
  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    const r = await raw('POST', '/v1/runs', '{"spec": {', { 'content-type': 'application/json' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
    await expectStillServing();
  });

  it('refuses an oversized body with 413 before parsing it', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 10, 'x');
    const r = await raw('POST', '/v1/runs', big, { 'content-type': 'application/json' });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('BAD_REQUEST');
    await expectStillServing();
  });

  it('refuses an oversized chunked body (no content-length) with 413', async () => {
    const r = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request({ socketPath: client.socket, method: 'POST', path: '/v1/runs', agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      });
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write(Buffer.alloc(MAX_BODY_BYTES / 4 + 1, 'x'));
      req.end();
    });
    expect(r.status).toBe(413);
    await expectStillServing();
  });

  it('answers unknown routes with 404 and wrong methods with 405', async () => {
    expect((await raw('GET', '/v1/nope')).status).toBe(404);
    expect((await raw('GET', '/v2/runs')).status).toBe(404);
    const wrong = await raw('DELETE', '/v1/runs');
    expect(wrong.status).toBe(405);
    expect(wrong.body.error.code).toBe('BAD_REQUEST');
    await expectStillServing();
  });

  it('checks query values and body fields', async () => {
    expect(await codeOf(client.request('GET', '/v1/runs?limit=abc'))).toBe('BAD_REQUEST');
    expect(await codeOf(client.request('GET', '/v1/runs?status=sleeping'))).toBe('BAD_REQUEST');
    expect(await codeOf(client.request('GET', '/v1/runs?colour=red'))).toBe('BAD_REQUEST');
    expect(await codeOf(client.request('GET', '/v1/events?from=-1'))).toBe('BAD_REQUEST');
    expect(await codeOf(client.request('GET', '/v1/replay'))).toBe('BAD_REQUEST');
    expect(await codeOf(client.request('GET', '/v1/replay?at=yesterday-ish'))).toBe('BAD_REQUEST');
    expect(await codeOf(client.request('POST', '/v1/runs', [1, 2]))).toBe('BAD_REQUEST');
    expect(await codeOf(client.request('POST', '/v1/runs', { spec: sleepSpec(), extra: 1 }))).toBe('BAD_REQUEST');
    expect(await codeOf(client.request('POST', '/v1/stop', {}))).toBe('BAD_REQUEST');
    await expectStillServing();
  });

  it('maps supervisor errors to their statuses and codes', async () => {
    expect(await codeOf(client.request('GET', '/v1/runs/nosuchrun'))).toBe('RUN_NOT_FOUND');
    expect(await codeOf(client.request('POST', '/v1/runs', { spec: { command: 'sleep', args: '5' } }))).toBe('INVALID_SPEC');
    expect(await codeOf(client.request('POST', '/v1/runs', { spec: { command: 'sleep', timeout: {} } }))).toBe('INVALID_SPEC');
    expect(await codeOf(client.request('POST', '/v1/runs', { spec: { ...sleepSpec(), cwd: 'relative/dir' } }))).toBe('INVALID_SPEC');
    expect(await codeOf(client.request('POST', '/v1/runs', { spec: { ...sleepSpec(), timeout: '5 parsecs' } }))).toBe('INVALID_SPEC');
    expect(await codeOf(client.request('POST', '/v1/interrupt', { scope: {} }))).toBe('EMPTY_SCOPE');
    const { run } = await client.request<{ run: any }>('POST', '/v1/runs', { spec: { ...sleepSpec(), slot: 'one' } });
    t.trackRun(run);
    expect(await codeOf(client.request('POST', '/v1/runs', { spec: { ...sleepSpec(), slot: 'one' } }))).toBe('SLOT_BUSY');
    expect(await codeOf(client.request('GET', `/v1/runs/${run.shortId}/attach`))).toBe('NOT_ATTACHABLE');
    await client.request('POST', `/v1/runs/${run.id}/stop`, { force: true, wait: true });
    // Stopping an ended run is idempotent; restarting one is not.
    expect((await client.request<{ run: any }>('POST', `/v1/runs/${run.id}/stop`, {})).run.status).toBe('killed');
    expect(await codeOf(client.request('POST', `/v1/runs/${run.id}/restart`))).toBe('RUN_TERMINAL');
    await expectStillServing();
  });

  it('survives garbage that is not HTTP at all', async () => {
    await new Promise<void>((resolve) => {
      const s = connect(client.socket, () => s.end('\x00\x01 not http at all\r\n\r\n'));
      s.on('data', () => undefined);
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
    await expectStillServing();
  });

  it('asks for the secrets a rerun cannot replay, and reruns when given them', async () => {
    const { run } = await client.request<{ run: any }>('POST', '/v1/runs', { spec: { ...sleepSpec(), env: { API_TOKEN: 'hunter2' } } });
    t.trackRun(run);
    const err = await client.request('POST', `/v1/runs/${run.id}/rerun`, {}).catch((e: unknown) => e);
    expect(isRunledgerError(err, 'INVALID_SPEC')).toBe(true);
    expect((err as { details: { status: number; missingEnv: string[] } }).details).toMatchObject({
      status: 409,
      missingEnv: ['API_TOKEN'],
    });
    const again = await client.request<{ run: any }>('POST', `/v1/runs/${run.id}/rerun`, { env: { API_TOKEN: 'hunter2' } });
    t.trackRun(again.run);
    expect(again.run.id).not.toBe(run.id);
    await client.request('POST', '/v1/stop', { all: true, force: true, wait: true });
    expect(t.logLines.join('')).not.toContain('hunter2');
  });
});
