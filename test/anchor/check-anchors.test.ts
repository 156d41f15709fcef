import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCheckpointLine } from '../../src/anchor/checkpoint-line.js';
import { checkAnchor, verifyAgainstCheckpoints } from '../../src/anchor/check-anchors.js';
import { keyFromPrivatePem } from '../../src/anchor/signing.js';
import { createMemoryLedger } from '../../src/store/memory-store.js';
import { makeTempDir, removeDir, startedMany } from '../store/helpers.js';

const newKey = () => keyFromPrivatePem(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
const time = '2026-01-01T00:00:00.000Z';

describe('verifyAgainstCheckpoints', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await makeTempDir();
    file = join(dir, 'cp.ndjson');
  });
  afterEach(() => removeDir(dir));

  async function ledgerOf(n: number) {
    const store = createMemoryLedger();
    const { events } = await store.append('supervisor', startedMany(n));
    return { store, hashes: events.map((e) => e.hash) };
  }

  it('passes when every checkpoint matches, and reports the last one', async () => {
    const key = newKey();
    const { store, hashes } = await ledgerOf(5);
    writeFileSync(
      file,
      formatCheckpointLine({ position: 2, hash: hashes[1]!, time }, key) +
        formatCheckpointLine({ position: 5, hash: hashes[4]!, time }, key),
    );
    const r = await verifyAgainstCheckpoints(store, file, { key });
    expect(r).toMatchObject({ ok: true, checked: 2, key: key.id, last: { position: 5, hash: hashes[4] }, warnings: [] });
    expect((await verifyAgainstCheckpoints(store, file, { key, from: 3 })).checked).toBe(1);
  });

  it('a checkpoint past the head is LEDGER_ROLLED_BACK naming the position', async () => {
    const key = newKey();
    const { store } = await ledgerOf(3);
    writeFileSync(file, formatCheckpointLine({ position: 9, hash: 'f'.repeat(64), time }, key));
    expect((await verifyAgainstCheckpoints(store, file, { key })).problem).toMatchObject({
      code: 'LEDGER_ROLLED_BACK',
      position: 9,
      line: 1,
    });
  });

  it('another hash at a checkpointed position is ANCHOR_MISMATCH', async () => {
    const key = newKey();
    const { store } = await ledgerOf(3);
    writeFileSync(file, formatCheckpointLine({ position: 2, hash: 'f'.repeat(64), time }, key));
    expect((await verifyAgainstCheckpoints(store, file, { key })).problem).toMatchObject({ code: 'ANCHOR_MISMATCH', position: 2 });
  });

  it('a forged or foreign signature is ANCHOR_BAD_SIGNATURE; a torn last line only warns', async () => {
    const key = newKey();
    const { store, hashes } = await ledgerOf(3);
    writeFileSync(file, formatCheckpointLine({ position: 2, hash: hashes[1]!, time }, newKey()));
    expect((await verifyAgainstCheckpoints(store, file, { key })).problem).toMatchObject({ code: 'ANCHOR_BAD_SIGNATURE', line: 1 });
    const forged = JSON.parse(formatCheckpointLine({ position: 2, hash: hashes[1]!, time }, key));
    writeFileSync(file, JSON.stringify({ ...forged, position: 1, hash: hashes[0] }) + '\n');
    expect((await verifyAgainstCheckpoints(store, file, { key })).problem).toMatchObject({ code: 'ANCHOR_BAD_SIGNATURE', position: 1 });
    writeFileSync(file, formatCheckpointLine({ position: 2, hash: hashes[1]!, time }, key));
    appendFileSync(file, '{"v":1,"posit');
    const torn = await verifyAgainstCheckpoints(store, file, { key });
    expect(torn).toMatchObject({ ok: true, checked: 1 });
    expect(torn.warnings[0]).toMatch(/line 2 is incomplete/);
  });

  it('no file on a non-empty ledger is a warning; checkAnchor checks one user anchor', async () => {
    const { store, hashes } = await ledgerOf(2);
    expect((await verifyAgainstCheckpoints(store, file, {})).warnings[0]).toMatch(/no checkpoint file/);
    expect(await checkAnchor(store, { position: 2, hash: hashes[1]! }, 'anchor')).toBeUndefined();
    expect(await checkAnchor(store, { position: 1, hash: hashes[1]! }, 'anchor')).toMatchObject({ code: 'ANCHOR_MISMATCH', position: 1 });
  });
});
