/**
 * The second half of verify's index check. The log walk proves every record
 * is reachable through the entry a read would use; this proves the indexes
 * hold nothing else — no streams entry and no ids entry that points at no
 * record or at another one (a stray ids entry would make a later append with
 * that id look like a duplicate). Counting is enough to know whether such an
 * entry exists: keys are unique, and the walk counted the entries it used.
 * Only then are the entries read against the log, to name the first one.
 */
import type { LedgerBackend } from './backend.js';
import { parseRecord } from './decode.js';
import { isWellFormedEntry } from './keys.js';
import type { VerifyFailure } from './record-check.js';

export type OrphanSource = Pick<LedgerBackend, 'readPositions' | 'scanStreamEntries' | 'scanIdEntries'>;

const PAGE = 1000;

async function countEntries<T>(pages: AsyncIterable<T[]>): Promise<number> {
  let n = 0;
  for await (const page of pages) n += page.length;
  return n;
}

/** The stored record at each position (parsed), or undefined where there is none or it does not parse. */
async function recordsAt(backend: OrphanSource, positions: number[]): Promise<(Record<string, unknown> | undefined)[]> {
  const safe = positions.map((p) => (Number.isSafeInteger(p) && p >= 1 ? p : 0));
  const raws = await backend.readPositions(safe);
  return raws.map((raw) => {
    if (!raw) return undefined;
    try {
      return parseRecord(raw);
    } catch {
      return undefined;
    }
  });
}

const corrupt = (position: number, reason: string): VerifyFailure => ({
  position: Number.isSafeInteger(position) ? position : 0,
  code: 'CORRUPT_LEDGER',
  reason,
});

async function firstStrayStreamEntry(backend: OrphanSource): Promise<VerifyFailure | undefined> {
  for await (const page of backend.scanStreamEntries(PAGE)) {
    const records = await recordsAt(
      backend,
      page.map((e) => e.entry.position),
    );
    for (let i = 0; i < page.length; i++) {
      const { streamId, entry } = page[i]!;
      const where = `stream index entry ${streamId}@${entry.firstVersion}`;
      const r = records[i];
      if (!isWellFormedEntry(entry)) return corrupt(entry.position, `${where} is malformed`);
      if (!r) return corrupt(entry.position, `${where} points at position ${entry.position}: no record there`);
      if (r.streamId !== streamId || r.streamVersion !== entry.firstVersion) {
        return corrupt(
          entry.position,
          `${where} points at position ${entry.position}, which holds ${String(r.streamId)}@${String(r.streamVersion)}`,
        );
      }
    }
  }
  return undefined;
}

async function firstStrayIdEntry(backend: OrphanSource): Promise<VerifyFailure | undefined> {
  for await (const page of backend.scanIdEntries(PAGE)) {
    const records = await recordsAt(
      backend,
      page.map((e) => e.position),
    );
    for (let i = 0; i < page.length; i++) {
      const { id, position } = page[i]!;
      const r = records[i];
      if (!r) return corrupt(position, `id index entry ${id} points at position ${position}: no record there`);
      if (r.id !== id) return corrupt(position, `id index entry ${id} points at position ${position}, which holds event ${String(r.id)}`);
    }
  }
  return undefined;
}

/** After a clean full walk that used `used.streamEntries` entries and `used.ids` ids: find any entry no record uses. */
export async function findOrphanEntries(
  backend: OrphanSource,
  used: { streamEntries: number; ids: number },
): Promise<VerifyFailure | undefined> {
  const streamEntries = await countEntries(backend.scanStreamEntries(PAGE));
  if (streamEntries !== used.streamEntries) {
    return (
      (await firstStrayStreamEntry(backend)) ??
      corrupt(0, `the streams index holds ${streamEntries} entries, the log uses ${used.streamEntries}`)
    );
  }
  const ids = await countEntries(backend.scanIdEntries(PAGE));
  if (ids !== used.ids)
    return (await firstStrayIdEntry(backend)) ?? corrupt(0, `the ids index holds ${ids} entries, the log has ${used.ids} events`);
  return undefined;
}
