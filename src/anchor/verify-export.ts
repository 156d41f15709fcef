/**
 * `runledger verify --file EXPORT.ndjson`: the export's own hash chain, then
 * its signed trailer, which must name exactly the last event. An export cut
 * short has no trailer (or one that names a later position): EXPORT_TRUNCATED.
 */
import type { ErrorCode } from '../errors.js';
import { isRunledgerError } from '../errors.js';
import { readNdjsonLog } from '../store/ndjson.js';
import { checkTrailer, isTrailerLine } from './export-trailer.js';
import type { AnchorKey } from './signing.js';

export interface ExportVerifyResult {
  ok: boolean;
  checked: number;
  head: { position: number; hash: string };
  code?: ErrorCode;
  firstBad?: { position: number; reason: string };
  /** Who signed the trailer, when, and whether that is this home's key. */
  trailer?: { key: string; time: string; homeKey: boolean };
}

export async function verifyExportText(text: string, homeKey?: AnchorKey): Promise<ExportVerifyResult> {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const lastLine = lines[lines.length - 1];
  const hasTrailer = lastLine !== undefined && isTrailerLine(lastLine);
  const eventLines = hasTrailer ? lines.slice(0, -1) : lines;
  const fail = (code: ErrorCode, position: number, reason: string, head = { position: 0, hash: '' }): ExportVerifyResult => ({
    ok: false,
    checked: 0,
    head,
    code,
    firstBad: { position, reason },
  });
  let chain;
  try {
    chain = await readNdjsonLog(eventLines.join('\n'));
  } catch (err) {
    if (!isRunledgerError(err)) throw err;
    return fail(err.code, Number(err.details.line ?? 0), err.message);
  }
  const last = chain.events[chain.events.length - 1];
  const head = { position: eventLines.length, hash: last?.hash ?? '' };
  const base = { checked: chain.verify.checked, head };
  if (!chain.verify.ok)
    return { ...base, ok: false, code: 'CORRUPT_LEDGER', ...(chain.verify.firstBad ? { firstBad: chain.verify.firstBad } : {}) };
  if (!hasTrailer) {
    return {
      ...base,
      ok: false,
      code: 'EXPORT_TRUNCATED',
      firstBad: {
        position: head.position + 1,
        reason: `no signed trailer: the export ends after line ${eventLines.length} (cut short, or not a full export)`,
      },
    };
  }
  const t = checkTrailer(lastLine);
  if (!t.ok) return { ...base, ok: false, code: 'ANCHOR_BAD_SIGNATURE', firstBad: { position: head.position, reason: t.reason } };
  const trailer = { key: t.trailer.key, time: t.trailer.time, homeKey: homeKey?.id === t.trailer.key };
  if (t.trailer.position !== head.position || t.trailer.hash !== head.hash) {
    const reason = `the trailer says the export ends at position ${t.trailer.position} (hash ${t.trailer.hash}), its events end at ${head.position} (lines removed or added)`;
    return {
      ...base,
      ok: false,
      code: 'EXPORT_TRUNCATED',
      firstBad: { position: Math.min(head.position, t.trailer.position) + 1, reason },
      trailer,
    };
  }
  return { ...base, ok: true, trailer };
}
