import { describe, expect, it } from 'vitest';
import { expandStreamEntries } from '../../src/fleet/stream-tiles.js';

const entries = [
  { firstVersion: 1, position: 10, count: 2 },
  { firstVersion: 3, position: 20, count: 3 },
];

describe('expandStreamEntries', () => {
  it('walks entries forwards from a version, up to a limit', () => {
    expect(expandStreamEntries('s', entries, 2, 'forwards', 10)).toEqual([11, 20, 21, 22]);
    expect(expandStreamEntries('s', entries, 1, 'forwards', 3)).toEqual([10, 11, 20]);
  });
  it('walks backwards', () => {
    expect(expandStreamEntries('s', [...entries].reverse(), 4, 'backwards', 10)).toEqual([21, 20, 11, 10]);
  });
  it('calls a hole damage', () => {
    const holed = [entries[0]!, { firstVersion: 4, position: 20, count: 1 }];
    expect(() => expandStreamEntries('s', holed, 1, 'forwards', 10)).toThrow(/does not tile/);
  });
});
