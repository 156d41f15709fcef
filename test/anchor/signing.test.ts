import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  keyFromPrivatePem,
  keyFromPublicPem,
  keyIdOf,
  publicKeyFromBase64,
  publicKeyToBase64,
  signText,
  verifyText,
} from '../../src/anchor/signing.js';

const pair = () => generateKeyPairSync('ed25519');

describe('anchor signing', () => {
  it('a signature verifies for its text and key only', () => {
    const a = pair();
    const b = pair();
    const sig = signText('position 7', a.privateKey);
    expect(verifyText('position 7', sig, a.publicKey)).toBe(true);
    expect(verifyText('position 8', sig, a.publicKey)).toBe(false);
    expect(verifyText('position 7', sig, b.publicKey)).toBe(false);
  });

  it('a malformed signature is false, not a throw', () => {
    expect(verifyText('x', 'not base64 at all!!', pair().publicKey)).toBe(false);
  });

  it('the key id is stable across PEM round trips and differs between keys', () => {
    const a = pair();
    const fromPrivate = keyFromPrivatePem(a.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const fromPublic = keyFromPublicPem(a.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    expect(fromPrivate.id).toBe(keyIdOf(a.publicKey));
    expect(fromPublic.id).toBe(fromPrivate.id);
    expect(fromPublic.privateKey).toBeUndefined();
    expect(keyIdOf(pair().publicKey)).not.toBe(fromPrivate.id);
  });

  it('public keys travel as base64 SPKI; anything else is undefined', () => {
    const a = pair();
    expect(keyIdOf(publicKeyFromBase64(publicKeyToBase64(a.publicKey))!)).toBe(keyIdOf(a.publicKey));
    expect(publicKeyFromBase64('AAAA')).toBeUndefined();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(publicKeyFromBase64(publicKeyToBase64(rsa.publicKey))).toBeUndefined();
  });
});
