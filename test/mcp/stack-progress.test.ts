/** The fold behind an MCP `up`'s progress: which process waits for which dependency, what started, what is ready. */
import { expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/events/envelope.js';
import { foldStackProgress, initialStackProgress, waitingPhrase, type StackProgress } from '../../src/mcp/stack-progress.js';

let position = 0;
const ev = (type: string, data: Record<string, unknown>, streamId = 'stack-shop') =>
  ({ type, data, streamId, position: ++position }) as unknown as EventEnvelope;
const requested = (stack: string, name: string, streamId: string) =>
  ev('RunRequested', { spec: { name, labels: { 'runledger.stack': stack, 'runledger.process': name } } }, streamId);
const dep = { stack: 'shop', dependencyRunId: 'r1' };

function fold(s: StackProgress, events: EventEnvelope[]): { state: StackProgress; messages: string[] } {
  const messages: string[] = [];
  for (const e of events) {
    const step = foldStackProgress(s, e);
    s = step.state;
    if (step.message !== undefined) messages.push(step.message);
  }
  return { state: s, messages };
}

it('says what happens, in order, and the ticks name what still blocks', () => {
  let s = initialStackProgress('shop', true);
  expect(waitingPhrase(s)).toBe('applying stack shop');
  const first = fold(s, [
    requested('shop', 'db', 'run-1'),
    ev('DependencyWaiting', { ...dep, process: 'api', dependency: 'db', condition: 'healthy', deadline: 'x' }),
    ev('DependencyWaiting', { ...dep, process: 'migrate', dependency: 'db', condition: 'ready', deadline: 'x' }),
  ]);
  expect(first.messages).toEqual(['starting db', 'api waits for db to be healthy', 'migrate waits for db to be ready']);
  expect(waitingPhrase(first.state)).toBe('api waits for db to be healthy; migrate waits for db to be ready');

  const second = fold(first.state, [
    ev('ProcessReady', { attempt: 1, via: 'port' }, 'run-1'),
    ev('DependencySatisfied', { ...dep, process: 'migrate', dependency: 'db', condition: 'ready', waitedMs: 5 }),
    ev('DependencyFailed', {
      ...dep,
      process: 'api',
      dependency: 'db',
      condition: 'healthy',
      reason: 'timeout',
      message: 'api was not started: db …\n  last stderr lines:',
      stderrTail: [],
    }),
    requested('shop', 'migrate', 'run-2'),
  ]);
  expect(second.messages).toEqual(['db is ready', 'db is ready: migrate may start', 'api was not started: db …', 'starting migrate']);
  s = second.state;
  expect(waitingPhrase(s)).toBe('applying stack shop');

  const applied = fold(s, [ev('StackApplied', { stack: 'shop', action: 'up', started: [], restarted: [], stopped: [] })]);
  expect(applied.messages).toEqual(['stack shop applied']);
  // With wait, what was started and is not ready yet.
  expect(waitingPhrase(applied.state)).toBe('waiting for migrate to be ready');
  const ended = fold(applied.state, [ev('ProcessExited', { attempt: 1, exitCode: 0, signal: null }, 'run-2')]);
  expect(ended.messages).toEqual(['migrate ended (exit 0)']);
  expect(waitingPhrase(ended.state)).toBe('applying stack shop');
});

it("ignores other stacks' events and other runs", () => {
  const s = initialStackProgress('shop', false);
  const { state, messages } = fold(s, [
    requested('other', 'db', 'run-9'),
    ev('ProcessReady', { attempt: 1, via: 'none' }, 'run-9'),
    ev('DependencyWaiting', { ...dep, stack: 'other', process: 'a', dependency: 'b', condition: 'started', deadline: 'x' }),
    ev('StackApplied', { stack: 'other', action: 'up', started: [], restarted: [], stopped: [] }),
    ev('StackApplied', { stack: 'shop', action: 'down', started: [], restarted: [], stopped: [] }),
  ]);
  expect(messages).toEqual([]);
  expect(state).toEqual(s);
});

it('a readiness failure is told but the process is still awaited (it may be restarted)', () => {
  const s = fold(initialStackProgress('shop', true), [requested('shop', 'web', 'run-3')]).state;
  const step = foldStackProgress(s, ev('ReadinessFailed', { attempt: 1, reason: 'timeout', message: 'no line', stderrTail: [] }, 'run-3'));
  expect(step.message).toBe('web: readiness failed (timeout): no line');
  expect(step.state.notReady).toEqual(['web']);
});
