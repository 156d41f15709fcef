/** Paged iteration over the whole log: memory stays bounded by one page, whatever the log's size. */
import { RunledgerError } from '../errors.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { Upcaster } from '../events/upcast.js';
import type { LedgerBackend, RawRecord } from './backend.js';
import { decodeRun } from './decode.js';
import type { ScanOptions } from './event-store.js';

export const DEFAULT_SCAN_PAGE_SIZE = 1000;

function normalizeScanOptions(options: ScanOptions | undefined): { from: number; pageSize: number } {
  const from = options?.from ?? 1;
  const pageSize = options?.pageSize ?? DEFAULT_SCAN_PAGE_SIZE;
  if (!Number.isSafeInteger(from) || from < 1) throw new TypeError(`scan from must be a positive integer, got ${String(from)}`);
  if (!Number.isSafeInteger(pageSize) || pageSize < 1)
    throw new TypeError(`scan pageSize must be a positive integer, got ${String(pageSize)}`);
  return { from, pageSize };
}

/** How a scan learns whether the ledger is (still) open. */
export interface ScanGate {
  assertOpen(): void;
  isClosed(): boolean;
}

/** Pages of raw records; a read cut short by close() is LEDGER_CLOSED, like every other operation. */
async function* pagesOf(backend: LedgerBackend, from: number, pageSize: number, gate: ScanGate): AsyncGenerator<RawRecord[]> {
  try {
    yield* backend.scanLog(from, pageSize);
  } catch (err) {
    if (gate.isClosed() && !(err instanceof RunledgerError))
      throw new RunledgerError('LEDGER_CLOSED', 'the ledger closed during the scan', {}, { cause: err });
    throw err;
  }
}

export async function* scanEvents(
  backend: LedgerBackend,
  upcasters: Readonly<Record<string, Upcaster>>,
  options: ScanOptions | undefined,
  gate: ScanGate,
): AsyncGenerator<EventEnvelope[]> {
  gate.assertOpen();
  const { from, pageSize } = normalizeScanOptions(options);
  let next = from;
  for await (const page of pagesOf(backend, from, pageSize, gate)) {
    // decodeRun checks continuity, so a deleted record stops the scan instead of being skipped
    // (with onDamaged, only a record that is there but does not decode is skipped, and reported).
    const events = decodeRun(page, next, 1, upcasters, options?.onDamaged);
    next += page.length;
    yield events;
  }
}

/** Stored JSON lines in position order, untouched (verify and export need the hashed form). */
export async function* scanStoredLines(
  backend: LedgerBackend,
  options: { from?: number; pageSize?: number } | undefined,
  gate: ScanGate,
): AsyncGenerator<string[]> {
  gate.assertOpen();
  const { from, pageSize } = normalizeScanOptions(options);
  for await (const page of pagesOf(backend, from, pageSize, gate)) yield page.map((r) => r.json);
}
