import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkCheckpointSignature,
  checkpointSignedText,
  formatCheckpointLine,
  parseCheckpointLine,
} from '../../src/anchor/checkpoint-line.js';
import { keyFromPrivatePem } from '../../src/anchor/signing.js';

const newKey = () => keyFromPrivatePem(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
const c = { position: 14, hash: 'ab'.repeat(32), time: '2026-01-01T00:00:00.000Z' };

describe('checkpoint lines', () => {
  it('round-trips one signed line ending in a newline', () => {
    const key = newKey();
    const line = formatCheckpointLine(c, key);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trim()).not.toContain('\n');
    const parsed = parseCheckpointLine(line.trim());
    expect(parsed).toEqual({ ok: true, checkpoint: { ...c, key: key.id, sig: expect.any(String) } });
    if (parsed.ok) expect(checkCheckpointSignature(parsed.checkpoint, key)).toBe('ok');
  });

  it('an edited position or hash no longer verifies', () => {
    const key = newKey();
    const parsed = parseCheckpointLine(formatCheckpointLine(c, key));
    if (!parsed.ok) throw new Error('unparsed');
    expect(checkCheckpointSignature({ ...parsed.checkpoint, position: 13 }, key)).toBe('bad-signature');
    expect(checkCheckpointSignature({ ...parsed.checkpoint, hash: 'cd'.repeat(32) }, key)).toBe('bad-signature');
  });

  it('a line signed by another key is told apart from a bad signature', () => {
    const parsed = parseCheckpointLine(formatCheckpointLine(c, newKey()));
    if (!parsed.ok) throw new Error('unparsed');
    expect(checkCheckpointSignature(parsed.checkpoint, newKey())).toBe('other-key');
  });

  it('the signed text is fixed and names what it is', () => {
    expect(checkpointSignedText(c)).toBe(`runledger-checkpoint:v1\n14\n${c.hash}\n${c.time}`);
  });

  it('refuses malformed lines with a reason', () => {
    expect(parseCheckpointLine('{"v":1,"posi')).toEqual({ ok: false, reason: 'not JSON' });
    expect(parseCheckpointLine('[]')).toEqual({ ok: false, reason: 'not an object' });
    expect(parseCheckpointLine('{"v":2}')).toMatchObject({ ok: false, reason: expect.stringContaining('version') });
    expect(parseCheckpointLine(JSON.stringify({ v: 1, position: -1, hash: 'h', time: 't', key: 'k', sig: 's' }))).toMatchObject({
      ok: false,
    });
    expect(parseCheckpointLine(JSON.stringify({ v: 1, position: 1, hash: 'h', time: 't', key: 'k' }))).toEqual({
      ok: false,
      reason: 'sig is missing',
    });
  });

  it('signing needs the private half', () => {
    const key = newKey();
    expect(() => formatCheckpointLine(c, { publicKey: key.publicKey, id: key.id })).toThrow(TypeError);
  });
});
