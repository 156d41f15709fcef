/** The writer wiring over a real LevelDB ledger: key files, checkpoints at close, and verifyAnchored catching a rollback. */
import { cpSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anchorStore } from '../../src/anchor/anchor-store.js';
import { verifyAnchored } from '../../src/anchor/verify-anchored.js';
import { openLedger } from '../../src/store/level-store.js';
import { makeTempDir, removeDir, startedMany } from '../store/helpers.js';

describe('anchorStore over LevelDB', () => {
  let home: string;
  beforeEach(async () => (home = await makeTempDir()));
  afterEach(() => removeDir(home));

  const open = async () => anchorStore(await openLedger({ dir: join(home, 'ledger') }), home, { env: {} });

  it('creates the key pair 0600, anchors the head at close, and verifies', async () => {
    const store = await open();
    await store.append('supervisor', startedMany(3));
    await store.close();
    expect(statSync(join(home, 'anchor-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'checkpoints.ndjson')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(home, 'checkpoints.ndjson'), 'utf8').trim().split('\n')).toHaveLength(1);
    const reader = await openLedger({ dir: join(home, 'ledger') });
    try {
      expect(await verifyAnchored(reader, { home, env: {} })).toMatchObject({
        ok: true,
        head: { position: 3 },
        anchors: { checked: 1, last: { position: 3 } },
      });
      // Incremental: from a later position, only that part of the chain and the checkpoints at or after it.
      expect(await verifyAnchored(reader, { home, env: {}, from: 3 })).toMatchObject({ ok: true, checked: 1, anchors: { checked: 1 } });
    } finally {
      await reader.close();
    }
  });

  it('the same key signs across sessions; a rolled-back directory is LEDGER_ROLLED_BACK', async () => {
    let store = await open();
    await store.append('supervisor', startedMany(2));
    await store.close();
    cpSync(join(home, 'ledger'), join(home, 'old'), { recursive: true });
    store = await open();
    await store.append('supervisor', startedMany(2, 2));
    await store.close();
    rmSync(join(home, 'ledger'), { recursive: true });
    cpSync(join(home, 'old'), join(home, 'ledger'), { recursive: true });
    const reader = await openLedger({ dir: join(home, 'ledger') });
    try {
      const r = await verifyAnchored(reader, { home, env: {} });
      expect(r).toMatchObject({ ok: false, code: 'LEDGER_ROLLED_BACK', head: { position: 2 }, firstBad: { position: 4 } });
      expect(r.firstBad!.reason).toMatch(/log ends at 2/);
    } finally {
      await reader.close();
    }
  });
});
