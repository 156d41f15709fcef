/**
 * readStream of the ledger core: the stream index gives positions, and each
 * record there must be this stream's next version (the index is only a
 * pointer; anything else is CORRUPT_LEDGER). Split from ledger.ts.
 */
import { RunledgerError } from '../errors.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { LedgerBackend } from './backend.js';
import { decodeOrReport, decodeRecord } from './decode.js';
import type { StreamReadOptions } from './event-store.js';
import type { LedgerDeps } from './options.js';
import { streamReadOptions } from './read-options.js';
import { assertWellFormedStreamId } from './keys.js';

export async function readStreamRecords(
  backend: LedgerBackend,
  deps: LedgerDeps,
  streamId: string,
  options?: StreamReadOptions,
): Promise<EventEnvelope[]> {
  const { fromVersion, direction, limit } = streamReadOptions(options);
  if (typeof streamId === 'string') assertWellFormedStreamId(streamId);
  const positions = await backend.findStreamPositions(streamId, fromVersion, direction, limit);
  const records = await backend.readPositions(positions);
  const step = direction === 'forwards' ? 1 : -1;
  let firstVersion: number | undefined;
  const out: EventEnvelope[] = [];
  records.forEach((raw, i) => {
    if (!raw) throw new RunledgerError('CORRUPT_LEDGER', `stored event at position ${positions[i]} is missing`, { position: positions[i] });
    const onDamaged = options?.onDamaged;
    const e = onDamaged ? decodeOrReport(raw, deps.upcasters, onDamaged) : decodeRecord(raw, deps.upcasters);
    // A skipped record cannot be checked against the index; the ones around it still are.
    if (!e) return;
    firstVersion ??= direction === 'forwards' ? fromVersion : e.streamVersion + i;
    // The index is only a pointer: what it points at must be this stream's next version.
    if (e.streamId !== streamId || e.streamVersion !== firstVersion + i * step) {
      throw new RunledgerError(
        'CORRUPT_LEDGER',
        `stream index of ${streamId} points to position ${raw.position}, which holds ${e.streamId}@${e.streamVersion}`,
        {
          streamId,
          position: raw.position,
        },
      );
    }
    out.push(e);
  });
  return out;
}
