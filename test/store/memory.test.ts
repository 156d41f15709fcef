import { createLedger } from '../../src/store/ledger.js';
import { createMemoryLedger } from '../../src/store/memory-store.js';
import { createMemoryBackend, type MemoryBackend } from '../../src/store/memory/backend.js';
import { normalizeLedgerOptions, type LedgerOptions } from '../../src/store/options.js';
import { eventStoreContract } from './contract.js';
import { appendRulesContract } from './append-rules-contract.js';
import { integrityContract, type Tamper } from './integrity-contract.js';

eventStoreContract('memory', async (options) => createMemoryLedger(options));

/** A memory ledger whose backend the integrity contract can tamper with, then "reopen" over the same backend. */
const backends = new WeakMap<object, { backend: MemoryBackend; options: LedgerOptions | undefined }>();
async function openTamperable(options?: LedgerOptions) {
  const backend = createMemoryBackend();
  const store = createLedger(backend, normalizeLedgerOptions(options), await backend.loadHead());
  backends.set(store, { backend, options });
  return store;
}

const tamper: Tamper = async (store, edits) => {
  const { backend, options } = backends.get(store)!;
  await store.close();
  for (const r of edits.records ?? []) backend.lines[r.position - 1] = r.json;
  for (const { id, position } of edits.ids ?? []) backend.tamper.putId(id, position);
  for (const { streamId, ...entry } of edits.streamEntries ?? []) backend.tamper.putStreamEntry(streamId, entry);
  if (edits.head) backend.tamper.setHead(edits.head);
  backend.tamper.reopen();
  const reopened = createLedger(backend, normalizeLedgerOptions(options), await backend.loadHead());
  backends.set(reopened, { backend, options });
  return reopened;
};
integrityContract('memory', openTamperable, tamper);
appendRulesContract('memory', openTamperable, tamper);
