/**
 * An append whose every event id is already stored (found by the writer):
 * a retry of the same append returns the originals, anything else is
 * EVENT_ID_CONFLICT, and an id index pointing elsewhere is CORRUPT_LEDGER.
 * Split from ledger.ts.
 */
import { RunledgerError } from '../errors.js';
import { canonicalJson } from '../events/hash.js';
import type { AppendRequest } from './append-request.js';
import type { LedgerBackend } from './backend.js';
import { decodeRecord } from './decode.js';
import type { AppendResult } from './event-store.js';
import type { LedgerDeps } from './options.js';

/**
 * Every id of the append is stored: it is a retry only if each stored event
 * is this one (same id, stream, type and canonical data). Read only on this
 * path, so appends with new ids pay nothing for it.
 */
export async function resolveDuplicate(
  backend: LedgerBackend,
  deps: LedgerDeps,
  request: AppendRequest,
  positions: number[],
  /** The writer's cached version of the stream, asked once the originals are read. */
  knownVersion: () => number | undefined,
): Promise<AppendResult> {
  const { streamId } = request;
  const originals = (await backend.readPositions(positions)).map((raw, i) => {
    const position = positions[i]!;
    if (!raw) throw new RunledgerError('CORRUPT_LEDGER', `stored event at position ${position} is missing`, { position });
    const stored = decodeRecord(raw, deps.upcasters);
    const wanted = request.events[i]!;
    // The ids index is only a pointer: one pointing at another event is damage, not a duplicate.
    if (stored.id !== wanted.id) {
      throw new RunledgerError(
        'CORRUPT_LEDGER',
        `the id index maps ${wanted.id} to position ${position}, which holds event ${stored.id}; run verify`,
        {
          id: wanted.id,
          position,
        },
      );
    }
    if (stored.streamId !== streamId) {
      throw new RunledgerError('EVENT_ID_CONFLICT', `event id ${stored.id} is already stored in stream ${stored.streamId}`, {
        id: stored.id,
        streamId: stored.streamId,
        position,
      });
    }
    if (stored.type !== wanted.type || canonicalJson(stored.data) !== canonicalJson(wanted.data)) {
      throw new RunledgerError(
        'EVENT_ID_CONFLICT',
        `event id ${stored.id} is already stored at position ${position} with another type or data`,
        {
          id: stored.id,
          streamId,
          position,
        },
      );
    }
    return stored;
  });
  return {
    positions,
    streamVersion: knownVersion() ?? (await backend.findStreamVersion(streamId)),
    events: originals,
    duplicate: true,
  };
}
