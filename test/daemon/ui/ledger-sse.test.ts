/**
 * The page's live feed: GET /api/ui/events on the UI listener of an
 * in-process daemon. History from `from`, then live; after a cut the
 * browser sends Last-Event-ID and the stream resumes right after it, with
 * no gap and no repeat; the listener is started over the socket (POST /v1/ui).
 */
import { request, type IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StartResponse, UiResponse } from '../../../src/daemon/api.js';
import type { DaemonClient } from '../../../src/daemon/client.js';
import { sleepSpec, TestHome, until } from '../helpers.js';

let t: TestHome;
let client: DaemonClient;
let ui: UiResponse;
let token: string;

beforeEach(async () => {
  t = new TestHome();
  ({ client } = await t.openInProcess());
  ui = await client.request<UiResponse>('POST', '/v1/ui', {});
  token = new URL(ui.url).searchParams.get('token')!;
});
afterEach(() => t.cleanup());

async function start(): Promise<void> {
  const { run } = await client.request<StartResponse>('POST', '/v1/runs', { spec: sleepSpec() });
  t.trackRun(run);
}

/** Open the SSE stream and collect message ids and types as they arrive. */
function openFeed(query: string, headers: Record<string, string> = {}) {
  const got: { id: number; type: string }[] = [];
  let res: IncomingMessage | undefined;
  const req = request(
    { host: '127.0.0.1', port: ui.port, path: `/api/ui/events${query}`, headers: { authorization: `Bearer ${token}`, ...headers } },
    (r) => {
      res = r;
      let buffer = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => {
        buffer += chunk;
        const messages = buffer.split('\n\n');
        buffer = messages.pop() ?? '';
        for (const m of messages) {
          const id = /^id: (\d+)$/m.exec(m)?.[1];
          const data = /^data: (.*)$/m.exec(m)?.[1];
          if (id && data) got.push({ id: Number(id), type: (JSON.parse(data) as { type: string }).type });
        }
      });
    },
  );
  req.on('error', () => undefined);
  req.end();
  return { got, status: () => res?.statusCode, close: () => req.destroy() };
}

describe('the UI listener and its ledger feed', () => {
  it('POST /v1/ui starts the listener once: the same URL and token for the daemon’s life', async () => {
    expect(ui).toMatchObject({ started: true });
    expect(await client.request<UiResponse>('POST', '/v1/ui', {})).toEqual({ ...ui, started: false });
    await expect(client.request('POST', '/v1/ui', { port: 'x' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('sends history from `from`, then live events, each with its position as the id', async () => {
    await start();
    const feed = openFeed('?from=2');
    const head = (await t.inProcess[0]!.context.store.head()).position;
    await until(() => feed.got.length >= head - 1);
    expect(feed.got.map((g) => g.id)).toEqual(Array.from({ length: head - 1 }, (_, i) => i + 2));
    await start();
    await until(() => feed.got.some((g) => g.id > head && g.type === 'RunRequested'));
    feed.close();
  });

  it('resumes after Last-Event-ID, ignoring `from`: no gap, no repeat', async () => {
    await start();
    await start();
    const head = (await t.inProcess[0]!.context.store.head()).position;
    const feed = openFeed('?from=1', { 'last-event-id': String(head - 2) });
    await until(() => feed.got.length >= 2);
    expect(feed.got.map((g) => g.id)).toEqual([head - 1, head]);
    feed.close();
    const bad = openFeed('', { 'last-event-id': 'abc' });
    await until(() => bad.status());
    expect(bad.status()).toBe(400);
    bad.close();
  });

  it('refuses the feed without the token', async () => {
    const feed = openFeed('', { authorization: '' });
    await until(() => feed.status());
    expect(feed.status()).toBe(401);
    feed.close();
  });
});
