import { describe, expect, it } from 'vitest';
import { checkStrayWords } from '../../src/cli/stray-words.js';

const argv = (...words: string[]) => ['node', 'runledger', 'run', ...words];
const message = (fn: () => void): string => {
  try {
    fn();
  } catch (err) {
    return `${(err as { code: string }).code}: ${(err as Error).message}`;
  }
  return 'ok';
};

describe('checkStrayWords', () => {
  it.each([
    ['the command after `--`', argv('--timeout', '5', '--', 'sleep', '1'), ['sleep', '1'], 'ok'],
    ['a command with its own `--`', argv('--', 'npm', 'test', '--', '--grep', 'x'), ['npm', 'test', '--', '--grep', 'x'], 'ok'],
    ['no `--` at all', argv('sleep', '1'), ['sleep', '1'], 'ok'],
    ['a word before `--`', argv('--name', 'web', 'extra', '--', 'sleep', '1'), ['extra', '--', 'sleep', '1'], /USAGE: "extra" before `--`/],
    [
      'a unit word before `--`',
      argv('--timeout', '5', 'minutes', '--', 'sleep'),
      ['minutes', '--', 'sleep'],
      /USAGE: --timeout 5 minutes: .*--timeout 5m$/,
    ],
    ['a unit word with no `--`', argv('--grace', '2', 's', 'sleep'), ['s', 'sleep'], /USAGE: .*--grace 2s$/],
    ['milliseconds', argv('--ready-timeout', '500', 'ms', '--', 'x'), ['ms', '--', 'x'], /--ready-timeout 500ms$/],
    ['a command named like a unit, not after a number', argv('--', 'm', 'x'), ['m', 'x'], 'ok'],
  ] as const)('%s', (_name, raw, command, expected) => {
    const got = message(() => checkStrayWords(raw, command));
    if (typeof expected === 'string') expect(got).toBe(expected);
    else expect(got).toMatch(expected);
  });
});
