/** The wait tool's engine against a fake daemon: a cancelled call closes the daemon's wait stream at once. */
import { expect, it } from 'vitest';
import type { DaemonApi } from '../../src/mcp/daemon-api.js';
import { waitForRun } from '../../src/mcp/wait.js';

const run = { id: 'r1', shortId: 'r1', exitCode: null, signal: null, attempts: [] };

/** A daemon whose wait never decides: it answers nothing until its stream is aborted. */
function neverDeciding(): { api: DaemonApi; aborted: () => boolean } {
  let signal: AbortSignal | undefined;
  const api = {
    wait: (_id: string, _c: string, s: AbortSignal) => {
      signal = s;
      return new Promise<undefined>((resolve) => s.addEventListener('abort', () => resolve(undefined), { once: true }));
    },
    show: async () => ({ run }),
  } as unknown as DaemonApi;
  return { api, aborted: () => signal?.aborted === true };
}

it('a cancelled call ends the wait before its deadline: not met, why cancelled', async () => {
  const { api, aborted } = neverDeciding();
  const cancel = new AbortController();
  const pending = waitForRun(api, 'r1', 'ready', 10 * 60_000, cancel.signal);
  cancel.abort();
  const result = await pending;
  expect(aborted()).toBe(true);
  expect(result).toMatchObject({ met: false, timedOut: false, why: 'cancelled' });
});

it('the deadline still ends it: timed out', async () => {
  const { api } = neverDeciding();
  expect(await waitForRun(api, 'r1', 'exit', 1, new AbortController().signal)).toMatchObject({
    met: false,
    timedOut: true,
    why: 'timeout',
  });
});
