import { describe, expect, it } from 'vitest';
import { hashEvent, type UnhashedEnvelope } from '../../src/events/hash.js';
import { createPrefixChecker } from '../../src/recovery/verified-prefix.js';
import { createMemoryLedger } from '../../src/store/memory-store.js';
import { started, startedMany } from '../store/helpers.js';

async function storedRecords(n: number): Promise<{ position: number; json: string }[]> {
  const store = createMemoryLedger();
  for (const e of startedMany(n)) await store.append('supervisor', [e]);
  const out: { position: number; json: string }[] = [];
  for await (const page of store.scanStored()) for (const json of page) out.push({ position: out.length + 1, json });
  return out;
}

function keptOf(records: { position: number; json: string }[]): { kept: number; reason: string | undefined } {
  const checker = createPrefixChecker();
  for (const r of records) {
    const reason = checker.check(r);
    if (reason) return { kept: checker.kept, reason };
  }
  return { kept: checker.kept, reason: undefined };
}

const edit = (json: string, change: (o: Record<string, any>) => void, rehash = false): string => {
  const o = JSON.parse(json);
  change(o);
  if (rehash) o.hash = hashEvent(o as UnhashedEnvelope);
  return JSON.stringify(o);
};

describe('verified prefix', () => {
  it('keeps an intact log whole', async () => {
    expect(keptOf(await storedRecords(4))).toEqual({ kept: 4, reason: undefined });
  });

  it('stops at an edited record', async () => {
    const records = await storedRecords(5);
    records[2] = { position: 3, json: edit(records[2]!.json, (o) => (o.data.pid = 1)) };
    expect(keptOf(records)).toEqual({ kept: 2, reason: expect.stringMatching(/hash does not match/) });
  });

  it('stops at a record rehashed without relinking, at a hole, at garbage, at an unknown type', async () => {
    const base = await storedRecords(4);
    const rehashed = [...base];
    rehashed[1] = { position: 2, json: edit(base[1]!.json, (o) => (o.data.pid = 1), true) };
    expect(keptOf(rehashed)).toEqual({ kept: 2, reason: expect.stringMatching(/prevHash/) });
    expect(keptOf([base[0]!, base[2]!])).toEqual({ kept: 1, reason: expect.stringMatching(/record 2 is missing/) });
    expect(keptOf([base[0]!, { position: 2, json: '{nope' }])).toEqual({ kept: 1, reason: 'the record is not JSON' });
    const unknown = { position: 2, json: edit(base[1]!.json, (o) => (o.type = 'FromTheFuture'), true) };
    expect(keptOf([base[0]!, unknown])).toEqual({ kept: 1, reason: expect.stringMatching(/does not decode/) });
  });

  it('stops at a repeated event id or a stream version jump, even with valid hashes', async () => {
    const store = createMemoryLedger();
    await store.append('supervisor', [started(1)]);
    const [first] = await store.readAll();
    const twin = edit(JSON.stringify({ ...first, position: 2, streamVersion: 2, prevHash: first!.hash }), () => {}, true);
    expect(
      keptOf([
        { position: 1, json: JSON.stringify(first) },
        { position: 2, json: twin },
      ]),
    ).toEqual({ kept: 1, reason: expect.stringMatching(/appears twice/) });
    const jump = edit(
      JSON.stringify({ ...first, id: '01J00000000000000000000009', position: 2, streamVersion: 5, prevHash: first!.hash }),
      () => {},
      true,
    );
    expect(
      keptOf([
        { position: 1, json: JSON.stringify(first) },
        { position: 2, json: jump },
      ]),
    ).toEqual({ kept: 1, reason: expect.stringMatching(/jumps to version 5/) });
  });
});
