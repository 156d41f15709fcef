/**
 * NDJSON export and import of the ledger: one stored envelope per line, in
 * the exact form that was hashed, so an export can be verified on its own
 * (and old exports keep reading as schemas evolve, through upcasting).
 */
import { RunledgerError } from '../errors.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { Upcaster } from '../events/upcast.js';
import type { RawRecord } from './backend.js';
import { decodeStoredEvent } from '../events/validate.js';
import type { EventStore, VerifyResult } from './event-store.js';
import { verifyLedger } from './verify.js';

/** Lines of the whole log, or of one stream, in position order, each ending in "\n". */
export async function* exportNdjson(store: EventStore, options: { streamId?: string } = {}): AsyncGenerator<string> {
  for await (const page of store.scanStored()) {
    for (const json of page) {
      if (options.streamId !== undefined && (JSON.parse(json) as { streamId: unknown }).streamId !== options.streamId) continue;
      yield json + '\n';
    }
  }
}

/**
 * Decode (validate + upcast) every line of a full export and verify its hash
 * chain. A line that does not decode is an error naming its line; a broken
 * chain is reported in `verify`, like `EventStore.verify`.
 */
export async function readNdjsonLog(
  text: string,
  options: { upcasters?: Readonly<Record<string, Upcaster>> } = {},
): Promise<{ events: EventEnvelope[]; verify: VerifyResult }> {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  // Each line is filed under its line number, so a removed or moved line shows up as a position mismatch.
  const records: RawRecord[] = lines.map((json, i) => ({ position: i + 1, json }));
  const events = records.map((raw) => {
    try {
      // Decode by the line's own content; where it sits in the file is verify's business.
      return decodeStoredEvent(JSON.parse(raw.json), options.upcasters);
    } catch (cause) {
      throw new RunledgerError('CORRUPT_LEDGER', `line ${raw.position}: ${(cause as Error).message}`, { line: raw.position }, { cause });
    }
  });
  const last = events[events.length - 1];
  const head = last ? { position: records.length, hash: last.hash } : { position: 0, hash: '' };
  const source = {
    async *scanLog(from: number) {
      yield records.slice(from - 1);
    },
    readPositions: async (positions: readonly number[]) => positions.map((p) => records[p - 1]),
  };
  return { events, verify: await verifyLedger(source, head, { upcasters: options.upcasters ?? {} }) };
}
