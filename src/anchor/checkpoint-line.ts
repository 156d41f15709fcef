/**
 * One checkpoint: "the log had `hash` at `position`, at `time`", signed.
 * Stored one JSON object per line in an append-only file outside the
 * ledger directory. The signature covers a fixed text form (not the JSON),
 * so key order or spacing in the file cannot change what was signed.
 */
import { signText, verifyText, type AnchorKey } from './signing.js';

export const CHECKPOINT_VERSION = 1;

export interface Checkpoint {
  position: number;
  hash: string;
  /** ISO-8601, when the writer saw this head. */
  time: string;
}

export interface SignedCheckpoint extends Checkpoint {
  /** Id of the key that signed it. */
  key: string;
  sig: string;
}

export type ParsedLine = { ok: true; checkpoint: SignedCheckpoint } | { ok: false; reason: string };

/** What the signature covers; the prefix keeps a checkpoint signature from passing for any other signed text. */
export function checkpointSignedText(c: Checkpoint): string {
  return `runledger-checkpoint:v${CHECKPOINT_VERSION}\n${c.position}\n${c.hash}\n${c.time}`;
}

/** The line to append (with its "\n"). The key must hold a private half. */
export function formatCheckpointLine(c: Checkpoint, key: AnchorKey): string {
  if (!key.privateKey) throw new TypeError('signing a checkpoint needs the private key');
  const signed: SignedCheckpoint & { v: number } = {
    v: CHECKPOINT_VERSION,
    position: c.position,
    hash: c.hash,
    time: c.time,
    key: key.id,
    sig: signText(checkpointSignedText(c), key.privateKey),
  };
  return JSON.stringify(signed) + '\n';
}

/** Shape check only; the signature is checkSignature's business. */
export function parseCheckpointLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const o = value as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return { ok: false, reason: 'not an object' };
  if (o.v !== CHECKPOINT_VERSION) return { ok: false, reason: `unknown checkpoint version ${JSON.stringify(o.v)}` };
  if (!Number.isSafeInteger(o.position) || (o.position as number) < 0)
    return { ok: false, reason: 'position is not a non-negative integer' };
  for (const field of ['hash', 'time', 'key', 'sig'] as const) {
    if (typeof o[field] !== 'string' || o[field] === '') return { ok: false, reason: `${field} is missing` };
  }
  const { position, hash, time, key, sig } = o as unknown as SignedCheckpoint;
  return { ok: true, checkpoint: { position, hash, time, key, sig } };
}

/** 'ok', or why the signature does not hold for this public key. */
export function checkCheckpointSignature(c: SignedCheckpoint, key: AnchorKey): 'ok' | 'other-key' | 'bad-signature' {
  if (c.key !== key.id) return 'other-key';
  return verifyText(checkpointSignedText(c), c.sig, key.publicKey) ? 'ok' : 'bad-signature';
}
