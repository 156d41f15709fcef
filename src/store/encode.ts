/**
 * The write hot path: an envelope's stored JSON and its hash, built with the
 * event's data stringified once instead of twice (once for the hash, once
 * for storage) and a one-shot sha256. The hashed string must equal
 * events/hash.ts `canonicalContent` byte for byte — verify() recomputes
 * every hash with hashEvent, and test/store/encode.test.ts checks the two
 * agree on arbitrary events — so this is a faster spelling, not a second definition.
 */
import { hash as sha256 } from 'node:crypto';
import type { EventEnvelope } from '../events/envelope.js';

export interface EncodedEnvelope {
  envelope: EventEnvelope;
  json: string;
}

const str = JSON.stringify;

/** Build the stored envelope after `prevHash`; `id` is a ULID and `type` a catalogue name, so neither needs escaping. */
export function encodeEnvelope(
  position: number,
  streamId: string,
  streamVersion: number,
  e: { id: string; type: string; data: unknown; time: string; schemaVersion: number; causationId?: string; correlationId?: string },
  prevHash: string,
  /** `JSON.stringify(streamId)`, when the caller encodes many events of one stream. */
  streamJson: string = str(streamId),
): EncodedEnvelope {
  const data = str(e.data);
  const timeJson = str(e.time);
  const causation = e.causationId === undefined ? 'null' : str(e.causationId);
  const correlation = e.correlationId === undefined ? 'null' : str(e.correlationId);
  const hash = sha256(
    'sha256',
    `["${prevHash}",${position},${streamJson},${streamVersion},"${e.id}","${e.type}",${timeJson},${e.schemaVersion},${causation},${correlation},${data}]`,
  );
  const json =
    `{"position":${position},"streamId":${streamJson},"streamVersion":${streamVersion},"id":"${e.id}","type":"${e.type}",` +
    `"data":${data},"time":${timeJson},"schemaVersion":${e.schemaVersion}` +
    (e.causationId === undefined ? '' : `,"causationId":${causation}`) +
    (e.correlationId === undefined ? '' : `,"correlationId":${correlation}`) +
    `,"prevHash":"${prevHash}","hash":"${hash}"}`;
  const envelope = {
    position,
    streamId,
    streamVersion,
    id: e.id,
    type: e.type,
    data: e.data,
    time: e.time,
    schemaVersion: e.schemaVersion,
  } as EventEnvelope;
  if (e.causationId !== undefined) envelope.causationId = e.causationId;
  if (e.correlationId !== undefined) envelope.correlationId = e.correlationId;
  envelope.prevHash = prevHash;
  envelope.hash = hash;
  return { envelope, json };
}
