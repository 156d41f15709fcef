import { describe, expect, it } from 'vitest';
import { parseDuration, timeAgo } from '../../src/supervisor/durations.js';

describe('parseDuration', () => {
  it('reads a bare number as seconds, units and compounds as written, a JS number as milliseconds', () => {
    expect(parseDuration('30')).toBe(30_000);
    expect(parseDuration('1.5')).toBe(1500);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration(250)).toBe(250);
  });
  it('refuses anything else with INVALID_DURATION naming the field', () => {
    expect(() => parseDuration('5 minutes', '--timeout')).toThrow(
      expect.objectContaining({ code: 'INVALID_DURATION', details: { field: '--timeout', input: '5 minutes' } }),
    );
    expect(() => parseDuration(-1)).toThrow(expect.objectContaining({ code: 'INVALID_DURATION' }));
  });
});

describe('timeAgo', () => {
  const now = Date.parse('2025-01-01T00:10:00Z');
  it('is a duration before now, or an ISO time as given', () => {
    expect(timeAgo('5m', 'since', now)).toBe('2025-01-01T00:05:00.000Z');
    expect(timeAgo('30', 'since', now)).toBe('2025-01-01T00:09:30.000Z');
    expect(timeAgo('2024-12-31T00:00:00Z', 'since', now)).toBe('2024-12-31T00:00:00.000Z');
  });
  it('refuses what is neither, naming the field', () => {
    expect(() => timeAgo('yesterday', 'since', now)).toThrow(
      expect.objectContaining({ code: 'INVALID_DURATION', details: { field: 'since', input: 'yesterday' } }),
    );
  });
});
