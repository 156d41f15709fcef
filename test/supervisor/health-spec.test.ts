/** The `health` part of a spec, normalized at the door: defaults, exactly one probe, typed errors naming the field. */
import { describe, expect, it } from 'vitest';
import { RunledgerError } from '../../src/errors.js';
import { healthInputOf, normalizeHealth } from '../../src/supervisor/health-spec.js';
import { normalizeSpec } from '../../src/supervisor/spec.js';

const fieldOf = (input: unknown): string => {
  try {
    normalizeHealth(input);
    return 'none';
  } catch (err) {
    expect(err).toBeInstanceOf(RunledgerError);
    expect((err as RunledgerError).code).toBe('INVALID_SPEC');
    return (err as RunledgerError).details.field as string;
  }
};

describe('normalizeHealth', () => {
  it('applies the defaults: every 10s, 5s timeout, 3 failures, no start period', () => {
    expect(normalizeHealth({ tcp: { port: 5432 } })).toEqual({
      tcp: { port: 5432 },
      intervalMs: 10_000,
      timeoutMs: 5_000,
      failureThreshold: 3,
      startPeriodMs: 0,
    });
    expect(normalizeHealth(undefined)).toBeUndefined();
  });

  it('reads durations as people type them and keeps the one probe', () => {
    expect(
      normalizeHealth({ exec: { command: 'pg_isready' }, interval: '30s', timeout: 2000, failureThreshold: 5, startPeriod: '1m' }),
    ).toEqual({
      exec: { command: 'pg_isready', args: [] },
      intervalMs: 30_000,
      timeoutMs: 2000,
      failureThreshold: 5,
      startPeriodMs: 60_000,
    });
  });

  it('names the field of each mistake', () => {
    expect(fieldOf({})).toBe('health');
    expect(fieldOf({ tcp: { port: 1 }, http: { url: 'http://x/' } })).toBe('health');
    expect(fieldOf({ http: { url: 'ftp://x/' } })).toBe('health.http.url');
    expect(fieldOf({ http: { url: 'not a url' } })).toBe('health.http.url');
    expect(fieldOf({ http: { url: 'http://user:pw@x/' } })).toBe('health.http.url');
    expect(fieldOf({ tcp: { port: 70000 } })).toBe('health.tcp.port');
    expect(fieldOf({ tcp: { port: 1, hots: 'x' } })).toBe('health.tcp.hots');
    expect(fieldOf({ exec: { command: '' } })).toBe('health.exec.command');
    expect(fieldOf({ exec: { command: 'x', args: 'y' } })).toBe('health.exec.args');
    expect(fieldOf({ tcp: { port: 1 }, interval: '10ms' })).toBe('health.interval');
    expect(fieldOf({ tcp: { port: 1 }, timeout: 'soon' })).toBe('health.timeout');
    expect(fieldOf({ tcp: { port: 1 }, failureThreshold: 0 })).toBe('health.failureThreshold');
    expect(fieldOf({ tcp: { port: 1 }, retries: 3 })).toBe('health.retries');
  });

  it('is recorded in the spec, and a recorded one normalizes to itself (rerun)', () => {
    const rec = normalizeSpec({ command: 'web', health: { http: { url: 'http://127.0.0.1:1/h' }, interval: '2s' } }, '/tmp').record;
    expect(rec.health).toMatchObject({ http: { url: 'http://127.0.0.1:1/h' }, intervalMs: 2000 });
    expect(normalizeHealth(healthInputOf(rec.health!))).toEqual(rec.health);
    expect(normalizeSpec({ command: 'web' }, '/tmp').record).not.toHaveProperty('health');
  });
});
