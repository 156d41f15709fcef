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

/** Entries pointing at or below `upTo` (all when undefined): on a shared store, later ones are others' appends since the walk. */
async function countEntries<T>(pages: AsyncIterable<T[]>, positionOf: (e: T) => number, upTo?: number): Promise<number> {
  let n = 0;
  for await (const page of pages) n += upTo === undefined ? page.length : page.filter((e) => positionOf(e) <= upTo).length;
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

/**
 * After a clean full walk that used `used.streamEntries` entries and `used.ids` ids: find any entry no record uses.
 * `used.upTo` is set on a shared store: there, entries past the walked log are fine when they point at records,
 * as other writers' appends made since the walk.
 */
export async function findOrphanEntries(
  backend: OrphanSource,
  used: { streamEntries: number; ids: number; upTo?: number },
): Promise<VerifyFailure | undefined> {
  const streamPosition = (e: { entry: { position: number } }) => e.entry.position;
  if ((await countEntries(backend.scanStreamEntries(PAGE), streamPosition)) !== used.streamEntries) {
    const stray = await firstStrayStreamEntry(backend);
    if (stray) return stray;
    const walked = await countEntries(backend.scanStreamEntries(PAGE), streamPosition, used.upTo);
    if (used.upTo === undefined || walked !== used.streamEntries)
      return corrupt(0, `the streams index holds ${walked} entries, the log uses ${used.streamEntries}`);
  }
  const idPosition = (e: { position: number }) => e.position;
  if ((await countEntries(backend.scanIdEntries(PAGE), idPosition)) !== used.ids) {
    const stray = await firstStrayIdEntry(backend);
    if (stray) return stray;
    const walked = await countEntries(backend.scanIdEntries(PAGE), idPosition, used.upTo);
    if (used.upTo === undefined || walked !== used.ids)
      return corrupt(0, `the ids index holds ${walked} entries, the log has ${used.ids} events`);
  }
  return undefined;
}
