/**
 * What the page may do through the UI listener (an in-process daemon):
 * reads and stop / restart / rerun, with the token; never start a command,
 * shut the daemon down or export; a POST from another origin is refused.
 */
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StartResponse, UiResponse } from '../../../src/daemon/api.js';
import type { DaemonClient } from '../../../src/daemon/client.js';
import type { RunView } from '../../../src/projections/run-view.js';
import { sleepSpec, TestHome, until } from '../helpers.js';

let t: TestHome;
let client: DaemonClient;
let ui: UiResponse;
let auth: Record<string, string>;

beforeEach(async () => {
  t = new TestHome();
  ({ client } = await t.openInProcess());
  ui = await client.request<UiResponse>('POST', '/v1/ui', {});
  auth = { authorization: `Bearer ${new URL(ui.url).searchParams.get('token')}` };
});
afterEach(() => t.cleanup());

function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; json: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: ui.port,
        method,
        path,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('the page’s API on the UI listener', () => {
  it('restarts and reruns a run, and reads it back', async () => {
    const { run } = await client.request<StartResponse>('POST', '/v1/runs', { spec: sleepSpec() });
    t.trackRun(run);
    const restarted = await call('POST', `/api/v1/runs/${run.id}/restart`, auth, {});
    expect(restarted.status).toBe(200);
    await until(async () => ((await call('GET', `/api/v1/runs/${run.id}`, auth)).json.run as RunView).attempts.length === 2 || undefined);
    t.trackRun((await call('GET', `/api/v1/runs/${run.id}`, auth)).json.run);
    const rerun = await call('POST', `/api/v1/runs/${run.id}/rerun`, auth, {});
    expect(rerun.status).toBe(200);
    t.trackRun(rerun.json.run);
    expect(rerun.json.run.rerunOf).toBe(run.id);
    const stopped = await call('POST', `/api/v1/runs/${rerun.json.run.id}/stop`, auth, {});
    expect(stopped.status).toBe(200);
  });

  it('does not start commands, shut down, interrupt or export: those routes do not exist there', async () => {
    expect((await call('POST', '/api/v1/runs', auth, { spec: sleepSpec() })).status).toBe(405);
    expect((await call('POST', '/api/v1/shutdown', auth, {})).status).toBe(404);
    expect((await call('POST', '/api/v1/interrupt', auth, { scope: { session: 'x' } })).status).toBe(404);
    expect((await call('GET', '/api/v1/export', auth)).status).toBe(404);
    expect((await call('POST', '/api/v1/ui', auth, {})).status).toBe(404);
    expect((await client.request<{ runs: unknown[] }>('GET', '/v1/runs')).runs).toEqual([]);
  });

  it('refuses a POST from another origin, token or not', async () => {
    const { run } = await client.request<StartResponse>('POST', '/v1/runs', { spec: sleepSpec() });
    t.trackRun(run);
    const res = await call('POST', `/api/v1/runs/${run.id}/stop`, { ...auth, origin: 'http://evil.example' }, {});
    expect(res).toMatchObject({ status: 403, json: { error: { code: 'UI_FORBIDDEN' } } });
    expect((await client.request<{ run: RunView }>('GET', `/v1/runs/${run.id}`)).run.status).toBe('running');
  });
});
