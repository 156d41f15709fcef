import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/cli/failure.js';
import { duration, integer, keyValue, pastTime, positionOrTime, regex, signalName } from '../../src/cli/parse.js';
import { formatTable } from '../../src/cli/render/table.js';
import { styleFor } from '../../src/cli/render/style.js';
import { RunledgerError } from '../../src/errors.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'none';
  } catch (err) {
    return (err as RunledgerError).code;
  }
};

describe('flag values', () => {
  it('are checked at the door as usage errors', () => {
    expect(keyValue('--env')('A=b=c', { X: '1' })).toEqual({ X: '1', A: 'b=c' });
    expect(codeOf(() => keyValue('--env')('novalue', undefined))).toBe('USAGE');
    expect(duration('--grace')('5s')).toBe('5s');
    expect(codeOf(() => duration('--grace')('5 parsecs'))).toBe('USAGE');
    expect(codeOf(() => duration('--timeout')('5minutes'))).toBe('USAGE');
    expect(duration('--timeout')('30')).toBe('30');
    expect(codeOf(() => regex('--ready-line')('(['))).toBe('USAGE');
    expect(signalName('--stop-signal')('int')).toBe('SIGINT');
    expect(codeOf(() => signalName('--stop-signal')('SIGNOPE'))).toBe('USAGE');
    expect(codeOf(() => integer('--limit', 1)('0'))).toBe('USAGE');
  });

  it('times are ISO or a duration ago', () => {
    const now = () => Date.parse('2025-01-01T00:10:00Z');
    expect(pastTime('--since', now)('5m')).toBe('2025-01-01T00:05:00.000Z');
    expect(pastTime('--since', now)('30')).toBe('2025-01-01T00:09:30.000Z');
    expect(pastTime('--since', now)('2024-12-31T00:00:00Z')).toBe('2024-12-31T00:00:00.000Z');
    expect(codeOf(() => pastTime('--since', now)('yesterday'))).toBe('USAGE');
    expect(positionOrTime('--at', now)('42')).toEqual({ position: 42 });
    expect(positionOrTime('--at', now)('1h')).toEqual({ time: '2024-12-31T23:10:00.000Z' });
  });
});

describe('failures', () => {
  it('known errors exit 1, usage errors 2, a wait timeout 124, runledger itself failing 125, bugs print a stack', () => {
    expect(describeFailure(new RunledgerError('RUN_NOT_FOUND', 'no run'), false)).toEqual({
      exitCode: 1,
      text: 'error [RUN_NOT_FOUND]: no run',
    });
    expect(JSON.parse(describeFailure(new RunledgerError('USAGE', 'bad'), true).text)).toEqual({
      error: { code: 'USAGE', message: 'bad' },
    });
    expect(describeFailure(new RunledgerError('USAGE', 'bad'), false).exitCode).toBe(2);
    expect(describeFailure(new RunledgerError('WAIT_TIMEOUT', 'late'), false).exitCode).toBe(124);
    expect(describeFailure(new RunledgerError('DAEMON_UNAVAILABLE', 'gone'), false).exitCode).toBe(125);
    expect(describeFailure(new RunledgerError('INTERNAL', 'daemon bug'), false).exitCode).toBe(125);
    expect(describeFailure(new RunledgerError('NEVER_READY', 'ended'), false).exitCode).toBe(1);
    const bug = describeFailure(new TypeError('oops'), false);
    expect(bug.exitCode).toBe(125);
    expect(bug.text).toContain('TypeError: oops');
    expect(bug.text).toContain('at ');
  });
});

describe('rendering', () => {
  it('aligns columns and colours only a TTY without NO_COLOR', () => {
    expect(
      formatTable(
        ['ID', 'NAME'],
        [
          ['a', 'x'],
          ['bbbb', 'y'],
        ],
      ),
    ).toBe('ID    NAME\na     x\nbbbb  y');
    expect(styleFor({ isTTY: false }, {}).red('x')).toBe('x');
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(styleFor({ isTTY: true }, {}).red('x')).not.toBe('x');
  });
});
