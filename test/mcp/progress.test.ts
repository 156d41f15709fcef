/** Progress notifications of a waiting tool, against a fake request context: when they are sent and what they carry. */
import { afterEach, expect, it, vi } from 'vitest';
import { conditionPhrase, runWaitPhrase, withProgress, type Extra } from '../../src/mcp/progress.js';

afterEach(() => vi.useRealTimers());

function fakeExtra(progressToken?: string) {
  const sent: { method: string; params: any }[] = [];
  const abort = new AbortController();
  const extra = {
    signal: abort.signal,
    ...(progressToken !== undefined ? { _meta: { progressToken } } : {}),
    sendNotification: async (n: { method: string; params: any }) => void sent.push(n),
  } as unknown as Extra;
  return { extra, sent, abort };
}

it('without a progress token: the body gets no Progress and nothing is ever sent', async () => {
  vi.useFakeTimers();
  const { extra, sent } = fakeExtra();
  const result = await withProgress(extra, { everyMs: 100, waiting: 'w' }, async (p) => {
    expect(p).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1000);
    return 7;
  });
  expect(result).toBe(7);
  expect(sent).toEqual([]);
});

it('ticks repeat what is awaited, updates are sent at once; progress grows every time; nothing after the body', async () => {
  vi.useFakeTimers();
  const { extra, sent } = fakeExtra('tok');
  await withProgress(extra, { everyMs: 1000, waiting: 'waiting for a', totalMs: 30_000 }, async (p) => {
    await vi.advanceTimersByTimeAsync(2000);
    p!.update('a is ready', 'waiting for b');
    p!.update(undefined, 'waiting for c');
    await vi.advanceTimersByTimeAsync(1000);
  });
  await vi.advanceTimersByTimeAsync(5000);
  expect(sent.map((n) => n.method)).toEqual(Array(4).fill('notifications/progress'));
  expect(sent.map((n) => n.params.message)).toEqual([
    'waiting for a (1 s)',
    'waiting for a (2 s)',
    'a is ready (2 s)',
    'waiting for c (3 s)',
  ]);
  for (const n of sent) expect(n.params).toMatchObject({ progressToken: 'tok', total: 30 });
  const values = sent.map((n) => n.params.progress as number);
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]!);
});

it('stops once the call is cancelled', async () => {
  vi.useFakeTimers();
  const { extra, sent, abort } = fakeExtra('tok');
  await withProgress(extra, { everyMs: 100, waiting: 'w' }, async () => {
    abort.abort();
    await vi.advanceTimersByTimeAsync(1000);
  });
  expect(sent).toEqual([]);
});

it('phrases conditions as the tools and stack files name them', () => {
  expect(['ready', 'healthy', 'started', 'exit', 'completed'].map(conditionPhrase)).toEqual([
    'to be ready',
    'to be healthy',
    'to be started',
    'to end',
    'to complete',
  ]);
  expect(runWaitPhrase({ name: 'web', shortId: '01ab' }, 'ready')).toBe('waiting for web (run 01ab) to be ready');
});
