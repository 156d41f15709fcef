/** The ledger: the EventStore contract, its two implementations, and NDJSON export/import. */
export type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedVersion,
  Head,
  ReadOptions,
  Snapshot,
  StreamReadOptions,
  VerifyResult,
} from './event-store.js';
export type { Ledger } from './ledger.js';
export type { LedgerOptions } from './options.js';
export { openLedger, type OpenLedgerOptions } from './level-store.js';
export { createMemoryLedger } from './memory-store.js';
export { exportNdjson, readNdjsonLog } from './ndjson.js';
