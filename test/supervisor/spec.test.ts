import { describe, expect, it } from 'vitest';
import { isRunledgerError } from '../../src/errors.js';
import { parseDuration, formatDuration } from '../../src/supervisor/durations.js';
import { normalizeSpec } from '../../src/supervisor/spec.js';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (isRunledgerError(err, 'INVALID_SPEC')) return err.details.field as string;
    throw err;
  }
  return undefined;
}

describe('normalizeSpec', () => {
  it('applies defaults: no shell, SIGTERM with 10s grace, never restart, background runtime', () => {
    const { record } = normalizeSpec({ command: '/usr/bin/node' }, '/srv');
    expect(record).toMatchObject({
      command: '/usr/bin/node',
      args: [],
      shell: false,
      cwd: '/srv',
      name: 'node',
      stopSignal: 'SIGTERM',
      graceMs: 10_000,
      restart: { policy: 'never' },
      runtime: 'background',
      slot: null,
      key: null,
      timeoutMs: null,
      ready: null,
    });
  });

  it('redacts secret-looking env values (and user-named keys) before anything is recorded, keeping the real values for spawning', () => {
    const { record, env } = normalizeSpec(
      {
        command: 'x',
        env: { API_TOKEN: 't0k', DB_PASSWORD: 'pw', AWS_SECRET_ACCESS_KEY: 's', MY_KEY_ID: 'k', PLAIN: 'ok', SESSION_COOKIE: 'c' },
        secretEnvKeys: ['SESSION_COOKIE'],
      },
      '/',
    );
    expect(record.env).toEqual({
      API_TOKEN: '[REDACTED]',
      DB_PASSWORD: '[REDACTED]',
      AWS_SECRET_ACCESS_KEY: '[REDACTED]',
      MY_KEY_ID: '[REDACTED]',
      PLAIN: 'ok',
      SESSION_COOKIE: '[REDACTED]',
    });
    expect(record.redactedEnv).toEqual(['API_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'MY_KEY_ID', 'SESSION_COOKIE']);
    expect(JSON.stringify(record)).not.toMatch(/t0k|"pw"|"s"|"c"/);
    expect(env.API_TOKEN).toBe('t0k');
  });

  it('parses durations, signals and restart policy objects', () => {
    const { record } = normalizeSpec(
      {
        command: 'x',
        timeout: '1m',
        grace: '250ms',
        stopSignal: 'int',
        restart: { policy: 'on-failure', maxRestarts: 2, backoff: '2s' },
        ready: { line: '^ready$', timeout: '5s' },
      },
      '/',
    );
    expect(record.timeoutMs).toBe(60_000);
    expect(record.graceMs).toBe(250);
    expect(record.stopSignal).toBe('SIGINT');
    expect(record.restart).toMatchObject({ policy: 'on-failure', maxRestarts: 2, backoffMs: 2000 });
    expect(record.ready).toEqual({ line: '^ready$', timeoutMs: 5000 });
  });

  it.each([
    [{ command: '' }, 'command'],
    [{ command: 'x', args: ['ok', 3 as unknown as string] }, 'args[1]'],
    [{ command: 'x', timeout: 'soon' }, 'timeout'],
    [{ command: 'x', timeout: 0 }, 'timeout'],
    [{ command: 'x', grace: '-1s' }, 'grace'],
    [{ command: 'x', stopSignal: 'SIGNOPE' }, 'stopSignal'],
    [{ command: 'x', ready: { line: '(' } }, 'ready.line'],
    [{ command: 'x', ready: {} }, 'ready'],
    [{ command: 'x', ready: { port: 70000 } }, 'ready.port'],
    [{ command: 'x', restart: 'sometimes' as 'always' }, 'restart.policy'],
    [{ command: 'x', owner: { galaxy: 'far' } as object }, 'owner.galaxy'],
    [{ command: 'x', env: { 'A=B': 'x' } }, 'env.A=B'],
    [{ command: 'x', labels: { team: 3 as unknown as string } }, 'labels.team'],
    [{ command: 'x', logs: { maxBytes: 10 } }, 'logs.maxBytes'],
    [{ command: 'x', runtime: 'docker' as 'tmux' }, 'runtime'],
  ])('rejects %j naming the field %s', (input, field) => {
    expect(fieldOf(() => normalizeSpec(input as never, '/'))).toBe(field);
  });

  it('never enables a shell unless asked', () => {
    expect(normalizeSpec({ command: 'echo $HOME' }, '/').record.shell).toBe(false);
    expect(normalizeSpec({ command: 'echo $HOME', shell: true }, '/').record.shell).toBe(true);
  });
});

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1.5s', 1500],
    // A bare number typed by people is seconds (issue 12: `--timeout 30` was 30 ms).
    ['30', 30_000],
    ['1.5', 1500],
    [' 2 ', 2000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('a JS number (the library API) is milliseconds', () => expect(parseDuration(1500)).toBe(1500));

  it.each(['', 'soon', '5 m', '-1s', '1x', 's', '5minutes', '5 minutes', '1.'])('%j is INVALID_DURATION', (text) => {
    try {
      parseDuration(text, 'timeout');
      expect.unreachable();
    } catch (err) {
      expect(isRunledgerError(err, 'INVALID_DURATION')).toBe(true);
    }
  });

  it('formats compactly', () => {
    expect([950, 12_000, 200_000, 7_500_000, 90 * 3_600_000].map(formatDuration)).toEqual(['950ms', '12s', '3m20s', '2h5m', '3d18h']);
  });
});

describe('normalizeSpec on anything a request body can hold', () => {
  it('returns a spec or throws INVALID_SPEC naming a field — never another error', async () => {
    const fc = (await import('fast-check')).default;
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string()),
      fc.dictionary(fc.string(), fc.string()),
      fc.constant({}),
    );
    const keys = [
      'command',
      'args',
      'shell',
      'cwd',
      'env',
      'secretEnvKeys',
      'name',
      'labels',
      'owner',
      'slot',
      'key',
      'timeout',
      'ready',
      'stopSignal',
      'grace',
      'restart',
      'logs',
      'runtime',
    ];
    fc.assert(
      fc.property(fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] }), (input) => {
        try {
          normalizeSpec(input as never, '/');
        } catch (err) {
          if (!isRunledgerError(err, 'INVALID_SPEC') || typeof err.details.field !== 'string') throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
