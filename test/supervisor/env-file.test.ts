/** Env file syntax: a table of lines and what they give. */
import { describe, expect, it } from 'vitest';
import { isRunledgerError } from '../../src/errors.js';
import { parseEnvFile, readEnvFile } from '../../src/supervisor/env-file.js';

describe('parseEnvFile', () => {
  it.each([
    ['A=1', { A: '1' }],
    ['  A = spaced value  ', { A: 'spaced value' }],
    ['export A=1', { A: '1' }],
    ['A=', { A: '' }],
    ['A=x=y', { A: 'x=y' }],
    ['A="two\\nlines \\"q\\" \\\\"', { A: 'two\nlines "q" \\' }],
    ["A='lit\\n $B'", { A: 'lit\\n $B' }],
    ['# comment\n\nA=1\r\nB=2\n', { A: '1', B: '2' }],
    ['A=1\nA=2', { A: '2' }],
  ])('%j', (text, env) => expect(parseEnvFile(text, '/f')).toEqual(env));

  it.each([
    ['just words', 1],
    ['A=1\n1BAD=2', 2],
    ['A="open', 1],
  ])('%j is ENV_FILE_INVALID at line %i, without the content', (text, line) => {
    let err: unknown;
    try {
      parseEnvFile(text, '/f');
    } catch (e) {
      err = e;
    }
    expect(isRunledgerError(err, 'ENV_FILE_INVALID')).toBe(true);
    expect((err as Error).message).toContain(`line ${line}`);
    expect((err as Error).message).not.toContain('open');
  });
});

describe('readEnvFile', () => {
  it('a missing file is ENV_FILE_UNREADABLE naming the path', async () => {
    await expect(readEnvFile('/nonexistent/x.env')).rejects.toMatchObject({
      code: 'ENV_FILE_UNREADABLE',
      message: 'cannot read env file /nonexistent/x.env: no such file',
    });
  });
});
