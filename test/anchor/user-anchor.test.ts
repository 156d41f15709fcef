import { describe, expect, it } from 'vitest';
import { parseUserAnchor } from '../../src/anchor/user-anchor.js';

describe('parseUserAnchor', () => {
  const hash = 'a'.repeat(64);
  it('reads POSITION:HASH', () => {
    expect(parseUserAnchor(`14:${hash}`)).toEqual({ position: 14, hash });
    expect(parseUserAnchor(` 0:${hash} `)).toEqual({ position: 0, hash });
  });
  it('refuses anything else', () => {
    for (const bad of ['14', `x:${hash}`, `14:${hash.slice(1)}`, `14:${hash.toUpperCase()}`, `-1:${hash}`, `14:${hash}:1`])
      expect(parseUserAnchor(bad)).toBeUndefined();
  });
});
