/**
 * Ed25519 signing for anchors (checkpoints and export trailers), with
 * node:crypto only. Keys travel as PEM; a key's id is the first 16 hex
 * digits of the SHA-256 of its public DER, short enough to print and enough
 * to tell two keys apart.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export interface AnchorKey {
  /** Present only where we may sign (the home's private key). */
  privateKey?: KeyObject;
  publicKey: KeyObject;
  id: string;
}

/** Sign `text` (UTF-8); base64 signature. Ed25519 takes no digest name. */
export function signText(text: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');
}

/** False for a wrong or malformed signature, never a throw. */
export function verifyText(text: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function publicKeyToBase64(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** A public key from base64 SPKI DER (export trailers carry it), or undefined when it is not an Ed25519 key. */
export function publicKeyFromBase64(text: string): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** The signing key; its public half is derived from it, so a missing or swapped public file cannot mislead the writer. */
export function keyFromPrivatePem(privatePem: string): AnchorKey {
  const privateKey = createPrivateKey(privatePem);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, id: keyIdOf(publicKey) };
}

export function keyFromPublicPem(publicPem: string): AnchorKey {
  const publicKey = createPublicKey(publicPem);
  return { publicKey, id: keyIdOf(publicKey) };
}
