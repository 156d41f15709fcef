/**
 * The durable ledger: classic-level (LevelDB) in one directory, which one
 * process at a time may open (LevelDB's lock). That process is the daemon or
 * an embedded Supervisor; everyone else goes through it.
 */
import { mkdir } from 'node:fs/promises';
import { ClassicLevel } from 'classic-level';
import { RunledgerError } from '../errors.js';
import { createLevelBackend, ensureLayout, type LevelDb } from './level/backend.js';
import { createLedger, type Ledger } from './ledger.js';
import { normalizeLedgerOptions, type LedgerOptions } from './options.js';

export interface OpenLedgerOptions extends LedgerOptions {
  /** Directory of the LevelDB files; created (mode 0700) if missing. */
  dir: string;
}

function isLockError(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === 'LEVEL_LOCKED' || e?.cause?.code === 'LEVEL_LOCKED';
}

async function openDb(dir: string): Promise<LevelDb> {
  // 0700: the ledger records commands, environments and pids of one user.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  try {
    await db.open();
  } catch (err) {
    if (isLockError(err)) {
      throw new RunledgerError(
        'LEDGER_LOCKED',
        `another runledger process (usually the daemon) holds ${dir}; use the daemon, or stop it with \`runledger daemon stop\``,
        { dir },
        { cause: err },
      );
    }
    throw new RunledgerError('LEDGER_IO', `could not open the ledger at ${dir}`, { dir }, { cause: err });
  }
  return db;
}

/** Open (or create) the ledger in `dir`. Fails with LEDGER_LOCKED if another handle holds it. */
export async function openLedger(options: OpenLedgerOptions): Promise<Ledger> {
  if (typeof options?.dir !== 'string' || options.dir.length === 0) throw new TypeError('openLedger needs a dir');
  const deps = normalizeLedgerOptions(options);
  const db = await openDb(options.dir);
  const backend = createLevelBackend(db, openDb);
  try {
    await ensureLayout(db, options.dir);
    return createLedger(backend, deps, await backend.loadHead());
  } catch (err) {
    await db.close();
    throw err;
  }
}

/**
 * The raw backend of a LevelDB ledger, without the ledger core: for tools
 * that must copy records exactly as stored (import, salvage). Same lock and
 * layout rules as openLedger.
 */
export async function openLevelBackend(dir: string): Promise<{ backend: ReturnType<typeof createLevelBackend>; close(): Promise<void> }> {
  const db = await openDb(dir);
  try {
    await ensureLayout(db, dir);
  } catch (err) {
    await db.close();
    throw err;
  }
  return { backend: createLevelBackend(db), close: () => db.close() };
}
