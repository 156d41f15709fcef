/** Settling a failed batch by its ids: stored whole, absent, or neither (which must not be guessed). */
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../src/events/envelope.js';
import type { StoredAppend } from '../../../src/store/backend.js';
import { createMemoryBackend } from '../../../src/store/memory/backend.js';
import { recoverFailedBatch } from '../../../src/store/writer/in-doubt.js';

const genesis = { position: 0, hash: GENESIS_HASH };
const planned = { position: 2, hash: 'h2' };
const batch: StoredAppend[] = [
  { streamId: 's', firstVersion: 1, firstPosition: 1, ids: ['a'], jsons: ['{"n":1}'] },
  { streamId: 't', firstVersion: 1, firstPosition: 2, ids: ['b'], jsons: ['{"n":2}'] },
];

describe('recoverFailedBatch', () => {
  it('finds a batch stored whole at its planned positions and head', async () => {
    const backend = createMemoryBackend();
    await backend.write(batch, planned);
    expect(await recoverFailedBatch(backend, batch, genesis, planned)).toEqual({ head: planned, fate: 'stored' });
  });

  it('finds a batch absent when no id is stored and the head did not move', async () => {
    const backend = createMemoryBackend();
    expect(await recoverFailedBatch(backend, batch, genesis, planned)).toEqual({ head: genesis, fate: 'absent' });
  });

  it('refuses to decide when only part of the batch is there', async () => {
    const backend = createMemoryBackend();
    await backend.write(batch.slice(0, 1), { position: 1, hash: 'h1' });
    await expect(recoverFailedBatch(backend, batch, genesis, planned)).rejects.toThrow(/neither wholly stored nor absent: 1 of 2 ids/);
  });

  it('refuses to decide when the ids are there but the head is not the planned one', async () => {
    const backend = createMemoryBackend();
    await backend.write(batch, { position: 2, hash: 'other' });
    await expect(recoverFailedBatch(backend, batch, genesis, planned)).rejects.toThrow(/neither wholly stored nor absent/);
  });

  it('reopens the backend before it looks', async () => {
    const calls: string[] = [];
    const memory = createMemoryBackend();
    const backend = {
      ...memory,
      reopen: async () => void calls.push('reopen'),
      loadHead: async () => (calls.push('loadHead'), memory.loadHead()),
    };
    await recoverFailedBatch(backend, batch, genesis, planned);
    expect(calls).toEqual(['reopen', 'loadHead']);
  });
});
