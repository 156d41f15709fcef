/**
 * Tamper evidence check: walk the stored (not upcast) records and recompute
 * every hash, check each prevHash links to the record before it, that
 * positions run 1, 2, 3… with nothing missing, that every record decodes and
 * has no field outside the envelope, that the indexes point back at each
 * record (and, on a full walk, hold nothing else), and that the log ends
 * exactly at the recorded head. Any edited, deleted or reordered record
 * breaks one of these.
 */
import type { ErrorCode } from '../errors.js';
import { GENESIS_HASH } from '../events/envelope.js';
import { hashEvent, type UnhashedEnvelope } from '../events/hash.js';
import type { Upcaster } from '../events/upcast.js';
import type { LedgerBackend, RawRecord } from './backend.js';
import { parseRecord } from './decode.js';
import { isWellFormedEntry, type StreamIndexEntry } from './keys.js';
import type { Head, VerifyResult } from './event-store.js';
import { checkDecodes, checkStoredFields } from './record-check.js';
import { findOrphanEntries, type OrphanSource } from './verify-orphans.js';

const VERIFY_PAGE_SIZE = 1000;

/** A failure found by the chain or index checks below (record checks carry their own code). */
type Bad = { position: number; reason: string; code?: ErrorCode; details?: Record<string, unknown> };

/** Checks one record against its predecessor's hash; returns why it is bad, or its hash. */
function checkRecord(
  raw: RawRecord,
  expected: number,
  prevHash: string,
  upcasters: Readonly<Record<string, Upcaster>>,
): Bad | { hash: string; parsed: Record<string, unknown> } {
  if (raw.position !== expected) return { position: expected, reason: `record missing (next stored position is ${raw.position})` };
  let parsed: Record<string, unknown>;
  try {
    parsed = parseRecord(raw);
  } catch (err) {
    return { position: expected, reason: (err as Error).message };
  }
  if (parsed.prevHash !== prevHash)
    return { position: expected, reason: 'prevHash does not match the previous record (reordered or removed)' };
  const badFields = checkStoredFields(expected, parsed);
  if (badFields) return badFields;
  if (typeof parsed.hash !== 'string' || hashEvent(parsed as unknown as UnhashedEnvelope) !== parsed.hash) {
    return { position: expected, reason: 'hash does not match the record content (edited)' };
  }
  const badRecord = checkDecodes(expected, parsed, upcasters);
  if (badRecord) return badRecord;
  return { hash: parsed.hash, parsed };
}

/** What verify reads: the log, and (for a ledger, not an export) its indexes. */
export type VerifySource = Pick<LedgerBackend, 'scanLog' | 'readPositions'> &
  Partial<Pick<LedgerBackend, 'findIndexEntries' | 'scanStreamEntries' | 'scanIdEntries'>>;

/** Per stream, the last record verify saw: its version and position, and the index entry that covered it. */
type StreamTrail = Map<string, { version: number; position: number; entry: StreamIndexEntry }>;

/** How many streams index entries the walk used (each distinct entry once): the orphan check compares it with the index. */
type IndexUsage = { streamEntries: number };

/**
 * Each record must be covered by the streams entry a read would use (the one
 * with the greatest first version <= its version), which must point at it;
 * consecutive entries of a stream must tile (a new entry starts right where
 * the previous one ended, at this record); and its id must point at it.
 */
async function checkIndexes(
  backend: VerifySource,
  page: Record<string, unknown>[],
  trail: StreamTrail,
  usage: IndexUsage,
): Promise<Bad | undefined> {
  const entries = page.map((p) => ({ streamId: String(p.streamId), streamVersion: Number(p.streamVersion), id: String(p.id) }));
  if (!backend.findIndexEntries) return undefined;
  const { streams, ids } = await backend.findIndexEntries(entries);
  for (let i = 0; i < page.length; i++) {
    const position = page[i]!.position as number;
    const { streamId, streamVersion: v, id } = entries[i]!;
    const e = streams[i];
    const where = `stream index for ${streamId}@${v}`;
    if (!e || !isWellFormedEntry(e))
      return { position, reason: e ? `${where}: malformed entry at version ${e.firstVersion}` : `${where}: no entry covers it` };
    const last = e.firstVersion + e.count - 1;
    if (v > last) return { position, reason: `${where}: the entry at version ${e.firstVersion} ends at ${last}` };
    if (e.position + (v - e.firstVersion) !== position)
      return { position, reason: `${where} points to ${e.position + (v - e.firstVersion)}` };
    const prev = trail.get(streamId);
    if (prev && prev.entry.firstVersion !== e.firstVersion && (e.firstVersion !== v || prev.entry.firstVersion + prev.entry.count !== v)) {
      return { position, reason: `${where}: entries at versions ${prev.entry.firstVersion} and ${e.firstVersion} overlap or leave a hole` };
    }
    if (prev && prev.entry.firstVersion === e.firstVersion && prev.version !== v - 1) {
      return { position, reason: `${where}: versions inside one entry are not consecutive (previous was ${prev.version})` };
    }
    if (!prev || prev.entry.firstVersion !== e.firstVersion) usage.streamEntries += 1;
    trail.set(streamId, { version: v, position, entry: e });
    if (ids[i] !== position) return { position, reason: `id index for ${id} points to ${String(ids[i])}` };
  }
  return undefined;
}

/** After the whole log: each stream's last entry must end at the stream's last logged event. */
function checkTrailEnds(trail: StreamTrail): Bad | undefined {
  let first: Bad | undefined;
  for (const [streamId, { version, position, entry }] of trail) {
    const last = entry.firstVersion + entry.count - 1;
    if (last !== version && (!first || position < first.position)) {
      first = {
        position,
        reason: `stream index for ${streamId}: the entry at version ${entry.firstVersion} claims events up to ${last}, the log ends at ${version}`,
      };
    }
  }
  return first;
}

async function findPrevHash(backend: VerifySource, from: number): Promise<string | Bad> {
  if (from === 1) return GENESIS_HASH;
  const [raw] = await backend.readPositions([from - 1]);
  if (!raw) return { position: from - 1, reason: 'record missing' };
  const parsed = parseRecord(raw);
  return String(parsed.hash);
}

export interface VerifyOptions {
  /** First position to check (default 1). Entries no record uses are looked for only from 1. */
  from?: number;
  upcasters?: Readonly<Record<string, Upcaster>>;
  /**
   * A shared store's current head. Others may append while the walk runs, so
   * a log longer than the head read before it is fine when the head record's
   * hash is the one walked and the head read after it covers the whole log.
   */
  reloadHead?: () => Promise<Head>;
}

function hasIndexScans(backend: VerifySource): backend is VerifySource & OrphanSource {
  return backend.scanStreamEntries !== undefined && backend.scanIdEntries !== undefined;
}

export async function verifyLedger(backend: VerifySource, head: Head, options: VerifyOptions = {}): Promise<VerifyResult> {
  const { from = 1, upcasters = {}, reloadHead } = options;
  if (!Number.isSafeInteger(from) || from < 1) throw new TypeError(`verify from must be a positive integer, got ${String(from)}`);
  const report = (checked: number, bad?: Bad): VerifyResult => {
    const firstBad = bad && {
      position: bad.position,
      code: bad.code ?? 'CORRUPT_LEDGER',
      reason: bad.reason,
      ...(bad.details && { details: bad.details }),
    };
    return { ok: !firstBad, checked, head: { position: head.position, hash: head.hash }, ...(firstBad && { firstBad }) };
  };
  const prev = await findPrevHash(backend, from);
  if (typeof prev !== 'string') return report(0, prev);
  let prevHash = prev;
  let expected = from;
  let checked = 0;
  let hashAtHead: string | undefined;
  const trail: StreamTrail = new Map();
  const usage: IndexUsage = { streamEntries: 0 };
  for await (const rawPage of backend.scanLog(from, VERIFY_PAGE_SIZE)) {
    const parsedPage: Record<string, unknown>[] = [];
    for (const raw of rawPage) {
      const result = checkRecord(raw, expected, prevHash, upcasters);
      if ('reason' in result) return report(checked, result);
      parsedPage.push(result.parsed);
      prevHash = result.hash;
      if (expected === head.position) hashAtHead = result.hash;
      expected += 1;
      checked += 1;
    }
    const badIndex = await checkIndexes(backend, parsedPage, trail, usage);
    if (badIndex) return report(checked, badIndex);
  }
  const badEnd = checkTrailEnds(trail);
  if (badEnd) return report(checked, badEnd);
  const last = expected - 1;
  if (last > head.position && reloadHead && hashAtHead === head.hash && (await reloadHead()).position >= last) {
    head = { position: last, hash: prevHash };
  }
  if (last !== head.position && !(from > head.position && checked === 0)) {
    return report(checked, {
      position: Math.min(last, head.position) + 1,
      reason: `log ends at ${last} but the recorded head is ${head.position}`,
    });
  }
  if (checked > 0 && prevHash !== head.hash)
    return report(checked, { position: last, reason: 'last hash differs from the recorded head hash' });
  if (from === 1 && backend.findIndexEntries && hasIndexScans(backend)) {
    const orphan = await findOrphanEntries(backend, { streamEntries: usage.streamEntries, ids: checked, upTo: reloadHead && last });
    if (orphan) return report(checked, orphan);
  }
  return report(checked);
}
