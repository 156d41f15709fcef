/** The on-disk layout over classic-level: sublevel prefixes, and the layout-version check on open. */
import type { ClassicLevel } from 'classic-level';
import { RunledgerError } from '../../errors.js';
import { LAYOUT_KEY, LAYOUT_VERSION, SUBLEVELS } from '../keys.js';

export type LevelDb = ClassicLevel<string, string>;

/** Each sublevel's on-disk prefix (`!name!`) and the bound just past it. */
export function prefixOf(db: LevelDb, name: string): { prefix: string; end: string } {
  const prefix = db.sublevel(name).prefix;
  return { prefix, end: prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1) };
}

/**
 * Checks `!meta!layout` on open: a fresh database gets the current layout,
 * anything else must already carry it. A ledger in another layout would be
 * misread (e.g. layout 1 had one streams entry per event), so it is refused.
 */
export async function ensureLayout(db: LevelDb, dir: string): Promise<void> {
  const meta = prefixOf(db, SUBLEVELS.meta);
  const layout = await db.get(meta.prefix + LAYOUT_KEY);
  if (layout === LAYOUT_VERSION) return;
  if (layout === undefined) {
    const [anyKey] = await db.keys({ limit: 1 }).all();
    if (anyKey === undefined) {
      await db.put(meta.prefix + LAYOUT_KEY, LAYOUT_VERSION, { sync: true });
      return;
    }
  }
  const found =
    layout === undefined ? 'no layout version (written before layouts were recorded: layout 1)' : `layout ${JSON.stringify(layout)}`;
  throw new RunledgerError(
    'CORRUPT_LEDGER',
    `the ledger at ${dir} has ${found}; this runledger reads layout ${LAYOUT_VERSION} only. Export it with the runledger that wrote it and import the NDJSON`,
    { dir, layout: layout ?? null, expected: LAYOUT_VERSION },
  );
}
