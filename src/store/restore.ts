/**
 * Write records that were already verified (an export, a salvaged prefix)
 * into an empty ledger directory exactly as they were stored, so every hash
 * still holds, with fresh indexes. One streams entry per record, which the
 * layout allows (entries need only tile). Refuses a ledger that holds events.
 */
import { RunledgerError } from '../errors.js';
import type { StoredAppend } from './backend.js';
import type { Head } from './event-store.js';
import { openLevelBackend } from './level-store.js';

interface StoredFields {
  position: number;
  streamId: string;
  streamVersion: number;
  id: string;
  hash: string;
}

export async function restoreLedger(dir: string, pages: AsyncIterable<readonly string[]> | Iterable<readonly string[]>): Promise<Head> {
  const { backend, close } = await openLevelBackend(dir);
  try {
    const { head: existing } = await backend.loadHead();
    if (existing.position > 0) {
      throw new RunledgerError(
        'LEDGER_NOT_EMPTY',
        `the ledger at ${dir} already holds ${existing.position} events; import builds a new ledger only`,
        { dir, head: existing.position },
      );
    }
    let head: Head = existing;
    for await (const page of pages) {
      if (page.length === 0) continue;
      const appends: StoredAppend[] = page.map((json) => {
        const e = JSON.parse(json) as StoredFields;
        if (e.position !== head.position + 1)
          throw new TypeError(`restore expects consecutive positions, got ${e.position} after ${head.position}`);
        head = { position: e.position, hash: e.hash };
        return { streamId: e.streamId, firstVersion: e.streamVersion, firstPosition: e.position, ids: [e.id], jsons: [json] };
      });
      await backend.write(appends, head);
    }
    return head;
  } finally {
    await close();
  }
}
