/** The short texts of the tools' answers: what a model reads when it ignores structuredContent. */
import { expect, it } from 'vitest';
import { waitText } from '../../src/mcp/render.js';
import type { WaitResult } from '../../src/mcp/wait.js';

const run = { shortId: '01jf3a2', status: 'running', ready: true, exitCode: null, signal: null, attempts: [], name: 'web', reason: null };
const result = (w: Partial<WaitResult>): WaitResult =>
  ({ for: 'ready', met: true, timedOut: false, why: null, exitCode: null, signal: null, readinessFailure: null, run, ...w }) as WaitResult;

it('names the condition waited for, healthy included', () => {
  expect(waitText(result({ for: 'ready' })).split('\n')[0]).toBe('run 01jf3a2 is ready');
  expect(waitText(result({ for: 'healthy' })).split('\n')[0]).toBe('run 01jf3a2 is healthy');
  expect(waitText(result({ for: 'healthy', met: false, why: 'timeout' })).split('\n')[0]).toBe('run 01jf3a2: not healthy (timeout)');
  const ended = result({ for: 'exit', run: { ...run, status: 'completed', exitCode: 0 } as never });
  expect(waitText(ended).split('\n')[0]).toBe('run 01jf3a2 is ended completed');
  expect(waitText(result({ for: 'exit', met: false, why: 'timeout' })).split('\n')[0]).toBe('run 01jf3a2: not ended (timeout)');
});

it('ends with the note, when there is one', () => {
  expect(
    waitText(result({ note: 'timeout 3600 s cut' }))
      .split('\n')
      .at(-1),
  ).toBe('(timeout 3600 s cut)');
});
