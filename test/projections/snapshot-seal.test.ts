/** The seal binds a snapshot body to its position and event hash, keyed or not. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealSnapshot, whySealBroken } from '../../src/projections/snapshot-seal.js';

const key = randomBytes(32);
const body = JSON.stringify({ position: 7, runs: [{ id: 'a', status: 'completed', exitCode: 0 }] });

describe('sealSnapshot / whySealBroken', () => {
  it('a sealed snapshot checks out at its own position, with or without a key', () => {
    expect(whySealBroken(sealSnapshot(7, 'h7', body, key), 7, key)).toBeUndefined();
    expect(whySealBroken(sealSnapshot(7, 'h7', body), 7)).toBeUndefined();
  });

  it('an edited body, another position or another event hash breaks it', () => {
    const sealed = sealSnapshot(7, 'h7', body, key);
    expect(whySealBroken({ ...sealed, body: body.replace('completed', 'failed') }, 7, key)).toMatch(/edited/);
    expect(whySealBroken(sealed, 8, key)).toMatch(/edited/);
    expect(whySealBroken({ ...sealed, eventHash: 'h8' }, 7, key)).toMatch(/edited/);
  });

  it('with a key, only a seal made with that key holds: a recomputed plain digest or another key does not', () => {
    const edited = body.replace('completed', 'failed');
    expect(whySealBroken(sealSnapshot(7, 'h7', edited), 7, key)).toMatch(/not sealed with the snapshot key/);
    expect(whySealBroken({ ...sealSnapshot(7, 'h7', edited), keyed: true }, 7, key)).toMatch(/edited/);
    expect(whySealBroken(sealSnapshot(7, 'h7', edited, randomBytes(32)), 7, key)).toMatch(/edited/);
  });

  it('a reader without the key refuses keyed seals, and anything that is not a seal', () => {
    expect(whySealBroken(sealSnapshot(7, 'h7', body, key), 7)).toMatch(/key this reader does not have/);
    for (const junk of [null, 1, {}, { eventHash: 'h', digest: 'd' }, { position: 7, runs: [] }])
      expect(whySealBroken(junk, 7, key)).toMatch(/not a sealed snapshot/);
    expect(whySealBroken({ ...sealSnapshot(7, 'h7', body, key), digest: 'abc' }, 7, key)).toMatch(/edited/);
  });
});
