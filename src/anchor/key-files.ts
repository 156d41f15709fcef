/**
 * The anchor key pair on disk: created on first use (private half 0600,
 * written exclusively so two racing processes cannot end up with different
 * keys), loaded afterwards. Readers that only verify load the public half.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { keyFromPrivatePem, keyFromPublicPem, type AnchorKey } from './signing.js';
import type { AnchorPaths } from './paths.js';

export function loadOrCreateKey(paths: AnchorPaths): AnchorKey {
  if (!existsSync(paths.privateKey)) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(paths.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      writeFileSync(paths.publicKey, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Another process created it first: use theirs.
    }
  }
  const key = keyFromPrivatePem(readFileSync(paths.privateKey, 'utf8'));
  // A racing creator may not have written the public half yet; it is derivable, so write it if missing.
  if (!existsSync(paths.publicKey)) writeFileSync(paths.publicKey, key.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o600 });
  return key;
}

/** The public half, or undefined when there is no key (nothing was ever anchored here). */
export function loadPublicKey(paths: AnchorPaths): AnchorKey | undefined {
  if (!existsSync(paths.publicKey)) return undefined;
  return keyFromPublicPem(readFileSync(paths.publicKey, 'utf8'));
}
