/**
 * The signed last line of a full export: how many events it holds and the
 * head (position and hash) they end at. Without it an export cut short after
 * any line is still a valid chain; with it, a missing tail is a missing or
 * disagreeing trailer. The trailer carries the public key so an export can be
 * checked on another machine; whether that key is the home's is reported.
 */
import { publicKeyFromBase64, publicKeyToBase64, signText, verifyText, keyIdOf, type AnchorKey } from './signing.js';

export const TRAILER_MARK = 'runledgerExportTrailer';

export interface ExportTrailer {
  position: number;
  hash: string;
  time: string;
  key: string;
  publicKey: string;
  sig: string;
}

export function trailerSignedText(t: Pick<ExportTrailer, 'position' | 'hash' | 'time'>): string {
  return `runledger-export:v1\n${t.position}\n${t.hash}\n${t.time}`;
}

export function formatTrailer(head: { position: number; hash: string }, time: string, key: AnchorKey): string {
  if (!key.privateKey) throw new TypeError('signing an export needs the private key');
  const body = { position: head.position, hash: head.hash, time };
  const trailer = {
    [TRAILER_MARK]: 1,
    ...body,
    key: key.id,
    publicKey: publicKeyToBase64(key.publicKey),
    sig: signText(trailerSignedText(body), key.privateKey),
  };
  return JSON.stringify(trailer);
}

/** True for a line that claims to be a trailer (well-formed or not). */
export function isTrailerLine(line: string): boolean {
  return line.includes(`"${TRAILER_MARK}"`);
}

export type TrailerCheck = { ok: true; trailer: ExportTrailer } | { ok: false; reason: string };

/** Parse and check the signature against the key the trailer names. */
export function checkTrailer(line: string): TrailerCheck {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'trailer is not JSON' };
  }
  if (o === null || typeof o !== 'object' || o[TRAILER_MARK] !== 1) return { ok: false, reason: 'not an export trailer (version 1)' };
  if (!Number.isSafeInteger(o.position) || (o.position as number) < 0)
    return { ok: false, reason: 'trailer position is not a non-negative integer' };
  for (const f of ['hash', 'time', 'key', 'publicKey', 'sig'] as const)
    if (typeof o[f] !== 'string') return { ok: false, reason: `trailer ${f} is missing` };
  const t = o as unknown as ExportTrailer;
  const publicKey = publicKeyFromBase64(t.publicKey);
  if (!publicKey || keyIdOf(publicKey) !== t.key)
    return { ok: false, reason: 'trailer public key is malformed or does not match its key id' };
  if (!verifyText(trailerSignedText(t), t.sig, publicKey)) return { ok: false, reason: 'trailer signature does not verify' };
  return { ok: true, trailer: { position: t.position, hash: t.hash, time: t.time, key: t.key, publicKey: t.publicKey, sig: t.sig } };
}
