/**
 * One page of local history, shipped: stored lines (exactly as the host
 * hashed them) decoded to events, consecutive events of one stream grouped
 * into one append, each carrying its origin (host, local position, stored
 * JSON). The appends go out together, so group commit makes them one
 * transaction; their order in the fleet is their local order.
 */
import { RunledgerError } from '../errors.js';
import type { EventEnvelope, NewEvent } from '../events/envelope.js';
import { decodeRecord } from '../store/decode.js';
import type { EventStore } from '../store/event-store.js';
import type { Upcaster } from '../events/upcast.js';

export interface LocalLine {
  position: number;
  json: string;
}

interface Group {
  streamId: string;
  events: NewEvent[];
  records: LocalLine[];
}

function toNewEvent(e: EventEnvelope): NewEvent {
  const out: Record<string, unknown> = { type: e.type, data: e.data, id: e.id, time: e.time };
  if (e.causationId !== undefined) out.causationId = e.causationId;
  if (e.correlationId !== undefined) out.correlationId = e.correlationId;
  return out as NewEvent;
}

export function groupLines(lines: readonly LocalLine[], upcasters: Readonly<Record<string, Upcaster>> = {}): Group[] {
  const groups: Group[] = [];
  for (const line of lines) {
    let e: EventEnvelope;
    try {
      e = decodeRecord(line, upcasters);
    } catch (cause) {
      // Shipping around it would leave a hole in the host's chain: stop here and say why.
      throw new RunledgerError(
        'CORRUPT_LEDGER',
        `local event ${line.position} does not decode; replication stops before it`,
        {
          position: line.position,
        },
        { cause },
      );
    }
    const last = groups[groups.length - 1];
    if (last && last.streamId === e.streamId) {
      last.events.push(toNewEvent(e));
      last.records.push(line);
    } else groups.push({ streamId: e.streamId, events: [toNewEvent(e)], records: [line] });
  }
  return groups;
}

/** Append the page to the fleet; resolves with the last local position now stored there. */
export async function shipPage(fleet: EventStore, host: string, lines: readonly LocalLine[]): Promise<number> {
  const groups = groupLines(lines);
  const results = await Promise.allSettled(groups.map((g) => fleet.append(g.streamId, g.events, { origin: { host, records: g.records } })));
  let shipped = lines[0]!.position - 1;
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (r.status === 'rejected') throw r.reason;
    shipped = groups[i]!.records[groups[i]!.records.length - 1]!.position;
  }
  return shipped;
}
