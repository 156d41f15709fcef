/** The hash covers every stored field, and records without extra fields keep their format-1 hash. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson, extraFields, hashEvent, type UnhashedEnvelope } from '../../src/events/hash.js';

const fixture = readFileSync(new URL('../../fixtures/ledger-v1.ndjson', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as UnhashedEnvelope & { hash: string });

const asEnvelope = (r: object) => r as unknown as UnhashedEnvelope;

describe('hashEvent', () => {
  it('reproduces every hash of fixtures/ledger-v1.ndjson (format 1 is unchanged)', () => {
    for (const record of fixture) expect(hashEvent(record)).toBe(record.hash);
  });

  it('covers a field outside the envelope: adding, changing or renaming one changes the hash', () => {
    const base = fixture[0]!;
    const hashes = new Set([
      hashEvent(base),
      hashEvent(asEnvelope({ ...base, note: 'a' })),
      hashEvent(asEnvelope({ ...base, note: 'b' })),
      hashEvent(asEnvelope({ ...base, other: 'a' })),
      hashEvent(asEnvelope({ ...base, note: { x: 1, y: 2 } })),
    ]);
    expect(hashes.size).toBe(5);
  });

  it('hashes extra fields independently of their order', () => {
    const base = fixture[0]!;
    expect(hashEvent(asEnvelope({ ...base, a: 1, b: { d: 1, c: 2 } }))).toBe(hashEvent(asEnvelope({ b: { c: 2, d: 1 }, ...base, a: 1 })));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined like JSON', () => {
    expect(canonicalJson({ b: 1, a: [{ z: null, y: undefined, x: 'q' }] })).toBe('{"a":[{"x":"q","z":null}],"b":1}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
    expect(canonicalJson('lone \ud800')).toBe(JSON.stringify('lone \ud800'));
  });
});

describe('extraFields', () => {
  it('names the fields outside the envelope, sorted', () => {
    expect(extraFields(fixture[0]!)).toEqual([]);
    expect(extraFields({ ...fixture[0]!, zeta: 1, alpha: 2 })).toEqual(['alpha', 'zeta']);
  });
});
