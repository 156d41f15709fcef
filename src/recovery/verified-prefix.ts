/**
 * Which stored records can be trusted: the longest prefix of the log in
 * which every record sits at the next position, parses, decodes (a type and
 * schema version this runledger knows), links to its predecessor's hash,
 * hashes to what it says, continues its stream's versions, and carries an id
 * seen nowhere before. Salvage keeps exactly this prefix. Pure: fed records
 * one at a time, it says whether each is still in the prefix.
 */
import { GENESIS_HASH } from '../events/envelope.js';
import { hashEvent, type UnhashedEnvelope } from '../events/hash.js';
import { decodeStoredEvent } from '../events/validate.js';

export interface PrefixChecker {
  /** Undefined when the record extends the prefix, else why it does not (the prefix ends before it). */
  check(record: { position: number; json: string }): string | undefined;
  /** Records accepted so far, and the hash of the last one. */
  readonly kept: number;
  readonly lastHash: string;
}

export function createPrefixChecker(): PrefixChecker {
  let kept = 0;
  let lastHash = GENESIS_HASH;
  const streamVersions = new Map<string, number>();
  const ids = new Set<string>();

  const reasonOf = (record: { position: number; json: string }): string | undefined => {
    if (record.position !== kept + 1) return `record ${kept + 1} is missing (next stored position is ${record.position})`;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(record.json) as Record<string, unknown>;
    } catch {
      return 'the record is not JSON';
    }
    if (o.position !== record.position) return `the record says position ${String(o.position)}`;
    try {
      decodeStoredEvent(o);
    } catch (err) {
      return `the record does not decode: ${(err as Error).message}`;
    }
    if (o.prevHash !== lastHash) return 'prevHash does not match the previous record';
    if (hashEvent(o as unknown as UnhashedEnvelope) !== o.hash) return 'hash does not match the record content (edited)';
    const stream = String(o.streamId);
    if (o.streamVersion !== (streamVersions.get(stream) ?? 0) + 1) return `stream ${stream} jumps to version ${String(o.streamVersion)}`;
    if (ids.has(String(o.id))) return `event id ${String(o.id)} appears twice`;
    streamVersions.set(stream, o.streamVersion as number);
    ids.add(String(o.id));
    lastHash = o.hash as string;
    kept += 1;
    return undefined;
  };

  return {
    check: reasonOf,
    get kept() {
      return kept;
    },
    get lastHash() {
      return lastHash;
    },
  };
}
