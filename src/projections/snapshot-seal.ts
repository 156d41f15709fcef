/**
 * A snapshot is a cache, and a cache must not become the truth. A sealed
 * snapshot binds its body to the log: it records the hash of the event at
 * the position it covers (checked against the log on load) and a digest of
 * `position, eventHash, body` — an HMAC with a key kept in the home, outside
 * the ledger directory, or a plain SHA-256 when the writer has no key (the
 * embedded library). What each catches: see ARCHITECTURE.md, "Snapshots".
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SealedSnapshot {
  /** Hash of the event at the snapshot's position when it was taken. */
  eventHash: string;
  /** Whether `digest` is an HMAC (true) or a plain SHA-256 (false). */
  keyed: boolean;
  /** Hex digest of position, eventHash and body. */
  digest: string;
  /** The serialized state, as JSON text: the digest covers these exact bytes. */
  body: string;
}

function digestOf(position: number, eventHash: string, body: string, key: Buffer | undefined): string {
  const h = key ? createHmac('sha256', key) : createHash('sha256');
  return h.update(`${position}\n${eventHash}\n`).update(body).digest('hex');
}

export function sealSnapshot(position: number, eventHash: string, body: string, key?: Buffer): SealedSnapshot {
  return { eventHash, keyed: key !== undefined, digest: digestOf(position, eventHash, body, key), body };
}

/** Why the seal does not hold for a snapshot at `position`, or undefined when it does. */
export function whySealBroken(sealed: unknown, position: number, key?: Buffer): string | undefined {
  const s = sealed as Partial<SealedSnapshot> | null;
  if (
    s === null ||
    typeof s !== 'object' ||
    typeof s.eventHash !== 'string' ||
    typeof s.digest !== 'string' ||
    typeof s.body !== 'string'
  ) {
    return 'it is not a sealed snapshot';
  }
  // A reader with the key accepts only keyed seals: anyone can compute a plain SHA-256.
  if (s.keyed !== (key !== undefined))
    return s.keyed ? 'it was sealed with a key this reader does not have' : 'it is not sealed with the snapshot key';
  const want = Buffer.from(digestOf(position, s.eventHash, s.body, key), 'hex');
  const got = Buffer.from(s.digest, 'hex');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return 'its content does not match its digest (edited)';
  return undefined;
}
