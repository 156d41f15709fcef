/**
 * The in-memory ledger: the same core and rules as the durable one, for
 * tests and the deterministic simulator. Nothing survives the process.
 */
import { GENESIS_HASH } from '../events/envelope.js';
import { createLedger, type Ledger } from './ledger.js';
import { createMemoryBackend } from './memory/backend.js';
import { normalizeLedgerOptions, type LedgerOptions } from './options.js';

export function createMemoryLedger(options: LedgerOptions = {}): Ledger {
  return createLedger(createMemoryBackend(), normalizeLedgerOptions(options), { head: { position: 0, hash: GENESIS_HASH } });
}
