import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkTrailer, formatTrailer, isTrailerLine } from '../../src/anchor/export-trailer.js';
import { keyFromPrivatePem } from '../../src/anchor/signing.js';

const newKey = () => keyFromPrivatePem(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
const head = { position: 14, hash: 'ab'.repeat(32) };
const time = '2026-01-01T00:00:00.000Z';

describe('export trailers', () => {
  it('round-trip, carrying the key that signed them', () => {
    const key = newKey();
    const line = formatTrailer(head, time, key);
    expect(isTrailerLine(line)).toBe(true);
    expect(checkTrailer(line)).toEqual({
      ok: true,
      trailer: { ...head, time, key: key.id, publicKey: expect.any(String), sig: expect.any(String) },
    });
  });

  it('an edited head fails the signature', () => {
    const o = JSON.parse(formatTrailer(head, time, newKey()));
    expect(checkTrailer(JSON.stringify({ ...o, position: 9 }))).toEqual({ ok: false, reason: 'trailer signature does not verify' });
  });

  it('a public key swapped without its key id is refused', () => {
    const o = JSON.parse(formatTrailer(head, time, newKey()));
    const other = JSON.parse(formatTrailer(head, time, newKey()));
    expect(checkTrailer(JSON.stringify({ ...o, publicKey: other.publicKey }))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('key id'),
    });
  });

  it('event lines are not trailers; malformed trailers say why', () => {
    expect(isTrailerLine('{"position":1,"type":"RunRequested"}')).toBe(false);
    expect(checkTrailer('{"runledgerExportTrailer":1')).toEqual({ ok: false, reason: 'trailer is not JSON' });
    expect(checkTrailer('{"runledgerExportTrailer":1,"position":"x"}')).toMatchObject({ ok: false });
  });
});
