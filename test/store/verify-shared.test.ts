/**
 * verify on a store other processes append to (the fleet's PostgreSQL
 * ledger): this handle's head lags the others' until their notification
 * arrives, so verify must judge the log against the store's head, not the
 * cached one, and still catch a head rolled back behind the log.
 * Two ledgers over one memory backend stand in for two hosts (the logic
 * under test is the core's; the real PostgreSQL case is in test/fleet).
 */
import { describe, expect, it } from 'vitest';
import { createLedger } from '../../src/store/ledger.js';
import { createMemoryBackend, type MemoryBackend } from '../../src/store/memory/backend.js';
import { normalizeLedgerOptions } from '../../src/store/options.js';
import { started } from './helpers.js';

/** The memory backend seen as shared: a lockHead that reads the committed head (appends below are sequential). */
function shared(backend: MemoryBackend): MemoryBackend {
  return Object.assign(Object.create(backend) as MemoryBackend, {
    lockHead: async () => (await backend.loadHead()).head,
    unlockHead: async () => undefined,
  });
}

async function twoWriters() {
  const backend = createMemoryBackend();
  const open = async () => createLedger(shared(backend), normalizeLedgerOptions({}), await backend.loadHead());
  return { backend, a: await open(), b: await open() };
}

describe('verify on a shared store', () => {
  it("passes on a handle that has not heard of another writer's appends, and reports the store's head", async () => {
    const { a, b } = await twoWriters();
    await b.append('b-1', [started(1)]);
    for (let i = 0; i < 3; i++) await a.append('a-1', [started(10 + i)]);
    expect((await b.head()).position).toBe(1); // b was never told: no watchHead on this backend
    const result = await b.verify();
    expect(result).toMatchObject({ ok: true, checked: 4, head: await a.head() });
  });

  it('still fails when the stored head is rolled back behind the log', async () => {
    const { backend, a, b } = await twoWriters();
    for (let i = 0; i < 3; i++) await a.append('a-1', [started(i)]);
    const first = JSON.parse(backend.lines[0]!) as { hash: string };
    backend.tamper.setHead({ position: 1, hash: first.hash });
    const result = await b.verify();
    expect(result.ok).toBe(false);
    expect(result.firstBad).toMatchObject({ code: 'CORRUPT_LEDGER', position: 2 });
  });

  it('still fails when the tail the stored head names was deleted', async () => {
    const { backend, a, b } = await twoWriters();
    for (let i = 0; i < 3; i++) await a.append('a-1', [started(i)]);
    backend.lines.pop();
    const result = await b.verify();
    expect(result.ok).toBe(false);
  });
});
