/** The words for durations, sizes, exits and command lines that the CLI and the web page both print. */
import { describe, expect, it } from 'vitest';
import { describeExit, exitCell, formatBytes, formatCommand, formatDuration } from '../../src/projections/describe.js';

const HOUR = 3_600_000;

describe('formatDuration', () => {
  it('counts hours up to two days, then days and hours', () => {
    expect([0, 950, 12_000, 60_000, 200_000, HOUR, 7_500_000].map(formatDuration)).toEqual([
      '0ms',
      '950ms',
      '12s',
      '1m',
      '3m20s',
      '1h',
      '2h5m',
    ]);
    expect([47 * HOUR + 59 * 60_000, 48 * HOUR, 72 * HOUR, 90 * HOUR].map(formatDuration)).toEqual(['47h59m', '2d', '3d', '3d18h']);
  });
});

describe('formatBytes', () => {
  it('uses binary units up to TiB, where it stays', () => {
    expect([-1, 512, 4096, 1.5 * 1024 ** 3, 1024 ** 4, 3000 * 1024 ** 4].map(formatBytes)).toEqual([
      '0B',
      '512B',
      '4.0KiB',
      '1.5GiB',
      '1.0TiB',
      '3000.0TiB',
    ]);
  });
});

describe('exits', () => {
  it('as a table cell and as a sentence', () => {
    expect([exitCell(3, null), exitCell(null, 'SIGKILL'), exitCell(null, null)]).toEqual(['3', 'SIGKILL', '-']);
    expect([describeExit(3, null), describeExit(null, 'SIGKILL'), describeExit(null, null)]).toEqual([
      'exited with code 3',
      'killed by SIGKILL',
      'exit status unknown',
    ]);
  });
});

describe('formatCommand', () => {
  it('quotes only the arguments a shell would split or expand', () => {
    expect(formatCommand('node', ['a b', '', '$HOME', 'plain'])).toBe('node "a b" "" "$HOME" plain');
  });
});
