/**
 * Short ids people can type. ULID prefixes are timestamps, so runs started in
 * the same second share their first 8+ characters; a hash of the whole id
 * spreads them evenly instead. Crockford base32, lowercase, 7 characters
 * (35 bits: collisions are rare and, when they happen, reported as ambiguous).
 */
import { createHash } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const SHORT_ID_LENGTH = 7;

export function shortIdOf(runId: string): string {
  const digest = createHash('sha256').update(runId).digest();
  let out = '';
  // 5 bits per character from the first bytes of the digest.
  let acc = 0;
  let bits = 0;
  for (let i = 0; out.length < SHORT_ID_LENGTH; i++) {
    acc = (acc << 8) | digest[i]!;
    bits += 8;
    while (bits >= 5 && out.length < SHORT_ID_LENGTH) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
  }
  return out;
}
