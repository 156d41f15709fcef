/**
 * The integrity and append-rule contracts on the LevelDB ledger; damage is
 * made by closing the ledger, writing raw keys through a second handle, and
 * reopening it.
 */
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterEach } from 'vitest';
import type { EventStore } from '../../src/store/event-store.js';
import { encodeStreamIndexValue, padNumber, streamKey } from '../../src/store/keys.js';
import { openLedger } from '../../src/store/level-store.js';
import { appendRulesContract } from './append-rules-contract.js';
import type { OpenStore } from './contract.js';
import { makeTempDir, removeDir } from './helpers.js';
import { integrityContract, type Tamper } from './integrity-contract.js';

const dirs: string[] = [];
const stores: EventStore[] = [];
const dirOf = new WeakMap<object, string>();

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map(removeDir));
});

async function openAt(dir: string): Promise<EventStore> {
  const store = await openLedger({ dir });
  dirOf.set(store, dir);
  stores.push(store);
  return store;
}

const open: OpenStore = async (options) => {
  const root = await makeTempDir();
  dirs.push(root);
  const dir = join(root, 'ledger');
  const store = await openLedger({ dir, ...options });
  dirOf.set(store, dir);
  stores.push(store);
  return store;
};

const tamper: Tamper = async (store, edits) => {
  const dir = dirOf.get(store)!;
  await store.close();
  const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  try {
    for (const r of edits.records ?? []) await db.put('!log!' + padNumber(r.position), r.json);
    for (const { id, position } of edits.ids ?? []) await db.put('!ids!' + id, String(position));
    for (const e of edits.streamEntries ?? [])
      await db.put('!streams!' + streamKey(e.streamId, e.firstVersion), encodeStreamIndexValue(e.position, e.count));
    if (edits.head) await db.put('!meta!head', JSON.stringify(edits.head));
  } finally {
    await db.close();
  }
  return openAt(dir);
};

integrityContract('level', open, tamper);
appendRulesContract('level', open, tamper);
