/** `run`'s health flags: value parsers and how they merge onto a template's health. */
import { describe, expect, it } from 'vitest';
import { commandWords, healthOf, hostPort, seconds } from '../../src/cli/health-flags.js';
import type { RunledgerError } from '../../src/errors.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'none';
  } catch (err) {
    return (err as RunledgerError).code;
  }
};

describe('health flag values', () => {
  it('a bare number of a duration is seconds', () => {
    expect(seconds('--health-interval')('10')).toBe('10s');
    expect(seconds('--health-interval')('1.5')).toBe('1.5s');
    expect(seconds('--health-interval')('500ms')).toBe('500ms');
    expect(codeOf(() => seconds('--health-interval')('often'))).toBe('USAGE');
  });

  it('[HOST:]PORT', () => {
    expect(hostPort('--health-tcp')('5432')).toEqual({ port: 5432 });
    expect(hostPort('--health-tcp')('db:5432')).toEqual({ port: 5432, host: 'db' });
    expect(hostPort('--health-tcp')('[::1]:80')).toEqual({ port: 80, host: '::1' });
    for (const bad of ['', 'db', '0', '70000', 'a:b:1'] as const) expect(codeOf(() => hostPort('--health-tcp')(bad))).toBe('USAGE');
  });

  it('splits a command into words without a shell', () => {
    const split = commandWords('--health-cmd');
    expect(split('pg_isready -h localhost')).toEqual({ command: 'pg_isready', args: ['-h', 'localhost'] });
    expect(split(`sh -c 'curl -f x | grep ok'`)).toEqual({ command: 'sh', args: ['-c', 'curl -f x | grep ok'] });
    expect(split(`echo "a \\"b\\" c" d\\ e '' $HOME`)).toEqual({ command: 'echo', args: ['a "b" c', 'd e', '', '$HOME'] });
    expect(codeOf(() => split(`echo 'open`))).toBe('USAGE');
    expect(codeOf(() => split('   '))).toBe('USAGE');
  });
});

describe('healthOf', () => {
  it('nothing given: the base stands', () => {
    expect(healthOf({}, undefined)).toBeUndefined();
    expect(healthOf({}, { tcp: { port: 1 } })).toEqual({ tcp: { port: 1 } });
  });

  it('a probe flag replaces the base probe and keeps its tuning; tuning alone needs a probe', () => {
    expect(healthOf({ healthHttp: 'http://x/h', healthRetries: 5 }, { tcp: { port: 1 }, interval: '3s' })).toEqual({
      http: { url: 'http://x/h' },
      interval: '3s',
      failureThreshold: 5,
    });
    expect(healthOf({ healthTimeout: '1s' }, { tcp: { port: 1 } })).toEqual({ tcp: { port: 1 }, timeout: '1s' });
    expect(codeOf(() => healthOf({ healthInterval: '1s' }, undefined))).toBe('USAGE');
    expect(codeOf(() => healthOf({ healthHttp: 'http://x/', healthTcp: { port: 1 } }, undefined))).toBe('USAGE');
  });
});
