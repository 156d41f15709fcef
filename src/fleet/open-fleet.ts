/**
 * Opening the fleet ledger: connect, migrate the schema, and run the shared
 * ledger core over the PostgreSQL backend — the same EventStore every other
 * part of runledger reads, so projections and commands work on it unchanged.
 */
import { createLedger, type Ledger } from '../store/ledger.js';
import { normalizeLedgerOptions, type LedgerOptions } from '../store/options.js';
import { createPgBackend, type PgBackend } from './pg-backend.js';
import { openMigratedPool } from './migrated-pool.js';

export interface FleetStore extends Ledger {
  readonly backend: PgBackend;
}

export interface OpenFleetOptions extends LedgerOptions {
  url: string;
  /** Follow other processes' appends (LISTEN/NOTIFY): for live subscriptions. Default true. */
  watch?: boolean;
  /** Pool size; default 4. */
  connections?: number;
  connectTimeoutMs?: number;
  /** A query that gets no answer for this long fails (FLEET_UNAVAILABLE); default 30 s. */
  queryTimeoutMs?: number;
}

export async function openFleetStore(options: OpenFleetOptions): Promise<FleetStore> {
  const { url } = options;
  if (typeof url !== 'string' || url.length === 0) throw new TypeError('url must be a postgres:// URL');
  const pool = await openMigratedPool(
    url,
    {
      connections: options.connections ?? 4,
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      queryTimeoutMs: options.queryTimeoutMs ?? 30_000,
    },
    'opening the fleet ledger',
  );
  const backend = createPgBackend(url, pool);
  const loaded = await backend.loadHead();
  if (options.watch === false) delete (backend as Partial<PgBackend>).watchHead;
  const ledger = createLedger(backend, normalizeLedgerOptions(options), loaded);
  return Object.assign(ledger, { backend }) as FleetStore;
}
