/** Paged iteration over the whole log: memory stays bounded by one page, whatever the log's size. */
import type { EventEnvelope } from '../events/envelope.js';
import type { Upcaster } from '../events/upcast.js';
import type { LedgerBackend } from './backend.js';
import { decodeRun } from './decode.js';

export const DEFAULT_SCAN_PAGE_SIZE = 1000;

function normalizeScanOptions(options: { from?: number; pageSize?: number } | undefined): { from: number; pageSize: number } {
  const from = options?.from ?? 1;
  const pageSize = options?.pageSize ?? DEFAULT_SCAN_PAGE_SIZE;
  if (!Number.isSafeInteger(from) || from < 1) throw new TypeError(`scan from must be a positive integer, got ${String(from)}`);
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new TypeError(`scan pageSize must be a positive integer, got ${String(pageSize)}`);
  return { from, pageSize };
}

export async function* scanEvents(
  backend: LedgerBackend,
  upcasters: Readonly<Record<string, Upcaster>>,
  options: { from?: number; pageSize?: number } | undefined,
  assertOpen: () => void,
): AsyncGenerator<EventEnvelope[]> {
  assertOpen();
  const { from, pageSize } = normalizeScanOptions(options);
  let next = from;
  for await (const page of backend.scanLog(from, pageSize)) {
    // decodeRun checks continuity, so a deleted record stops the scan instead of being skipped.
    const events = decodeRun(page, next, 1, upcasters);
    next += events.length;
    yield events;
  }
}

/** Stored JSON lines in position order, untouched (verify and export need the hashed form). */
export async function* scanStoredLines(
  backend: LedgerBackend,
  options: { from?: number; pageSize?: number } | undefined,
  assertOpen: () => void,
): AsyncGenerator<string[]> {
  assertOpen();
  const { from, pageSize } = normalizeScanOptions(options);
  for await (const page of backend.scanLog(from, pageSize)) yield page.map((r) => r.json);
}
