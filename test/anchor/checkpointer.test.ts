import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCheckpointLine } from '../../src/anchor/checkpoint-line.js';
import { createCheckpointer } from '../../src/anchor/checkpointer.js';
import { withCheckpoints } from '../../src/anchor/checkpointing-store.js';
import { keyFromPrivatePem } from '../../src/anchor/signing.js';
import { createMemoryLedger } from '../../src/store/memory-store.js';
import { makeTempDir, removeDir, started, startedMany, until } from '../store/helpers.js';

const key = keyFromPrivatePem(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
const positionsIn = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const p = parseCheckpointLine(l);
      if (!p.ok) throw new Error(p.reason);
      return p.checkpoint.position;
    });

describe('checkpointer', () => {
  let dir: string;
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => removeDir(dir));

  it('anchors every N events and at close, 0600, the hash of that position', async () => {
    const file = join(dir, 'cp.ndjson');
    const cp = createCheckpointer({ file, key, everyEvents: 3, everyMs: 60_000 });
    const store = withCheckpoints(createMemoryLedger(), cp);
    for (let i = 1; i <= 7; i++) {
      await store.append('supervisor', [started(i)]);
      // Wait for each due checkpoint, so the test does not depend on how fast the file write is.
      if (i % 3 === 0) await until(() => cp.written === i / 3, `checkpoint ${i / 3}`);
    }
    await store.close();
    expect(positionsIn(file)).toEqual([3, 6, 7]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('anchors within everyMs of an append even when fewer than N arrive', async () => {
    const file = join(dir, 'cp.ndjson');
    const cp = createCheckpointer({ file, key, everyEvents: 1000, everyMs: 20 });
    const store = withCheckpoints(createMemoryLedger(), cp);
    await store.append('supervisor', startedMany(2));
    await until(() => cp.written === 1, 'a timed checkpoint');
    expect(positionsIn(file)).toEqual([2]);
    await store.close();
    expect(positionsIn(file)).toEqual([2]);
  });

  it('a duplicate append anchors nothing new; a failed write is reported, not thrown', async () => {
    const errors: unknown[] = [];
    const cp = createCheckpointer({ file: join(dir, 'missing-dir', 'cp.ndjson'), key, everyEvents: 1, onError: (e) => errors.push(e) });
    const store = withCheckpoints(createMemoryLedger(), cp);
    const e = { ...started(1), id: '01J00000000000000000000001' };
    await store.append('supervisor', [e]);
    await store.append('supervisor', [e]);
    await store.close();
    expect(errors.length).toBeGreaterThan(0);
    expect(cp.written).toBe(0);
  });

  it('rejects nonsense intervals', () => {
    expect(() => createCheckpointer({ file: join(dir, 'x'), key, everyEvents: 0 })).toThrow(TypeError);
    expect(() => createCheckpointer({ file: join(dir, 'x'), key, everyMs: -1 })).toThrow(TypeError);
  });
});
