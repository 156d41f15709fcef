/**
 * What a failed durable write means. A failed fdatasync does not say the
 * batch is absent: LevelDB wrote it to its log first, so it can reappear on
 * reopen (and LevelDB refuses every later write until then). So the appends
 * of a failed write are *in doubt* until the store has reopened the backend,
 * re-read its head, and looked their event ids up: stored ones are
 * acknowledged, absent ones rejected with LEDGER_IO. Only when that check
 * itself is impossible does the store say "in doubt", and it then fails
 * closed rather than guess.
 */
import { RunledgerError } from '../../errors.js';
import type { LedgerBackend, StoredAppend } from '../backend.js';
import type { Head } from '../event-store.js';

/** A batch is one atomic backend write: it is stored whole or not at all. */
export type BatchFate = 'stored' | 'absent';

export interface RecoveredState {
  head: Head;
  fate: BatchFate;
}

/**
 * Reopens the backend and finds out whether the failed batch is stored.
 * Throws (the caller fails closed) when the backend cannot be reopened or
 * read, or when what it holds is not one of the two possible outcomes.
 */
export async function recoverFailedBatch(
  backend: LedgerBackend,
  appends: readonly StoredAppend[],
  before: Head,
  planned: Head,
): Promise<RecoveredState> {
  await backend.reopen?.();
  const loaded = await backend.loadHead();
  if (loaded.damage) throw new Error(`after reopening: ${loaded.damage.reason}`);
  const expected: number[] = [];
  const ids: string[] = [];
  for (const a of appends) a.ids.forEach((id, i) => (ids.push(id), expected.push(a.firstPosition + i)));
  const found = await backend.findIds(ids);
  const storedAt = found.filter((p, i) => p === expected[i]).length;
  const headIs = (h: Head) => loaded.head.position === h.position && loaded.head.hash === h.hash;
  // With other writers (lockHead), the head may have moved past the batch since: the ids decide alone.
  const shared = backend.lockHead !== undefined;
  if (storedAt === ids.length && (headIs(planned) || shared)) return { head: loaded.head, fate: 'stored' };
  if (found.every((p) => p === undefined) && (headIs(before) || shared)) return { head: loaded.head, fate: 'absent' };
  throw new Error(
    `after reopening, the failed batch (positions ${appends[0]!.firstPosition}-${planned.position}) is neither wholly stored nor absent: ` +
      `${storedAt} of ${ids.length} ids in place, head at ${loaded.head.position}`,
  );
}

/** An error's message with its cause's (classic-level says "failed to open" and puts the why in `cause`). */
function describe(err: unknown): string {
  const e = err as { message?: unknown; cause?: { message?: unknown } } | null;
  const message = String(e?.message ?? err);
  return e?.cause?.message ? `${message}: ${String(e.cause.message)}` : message;
}

export function notStoredError(cause: unknown): RunledgerError {
  return new RunledgerError(
    'LEDGER_IO',
    'the ledger write failed and, checked after reopening the ledger, this append was not stored; it is safe to retry',
    { stored: false },
    { cause },
  );
}

export function inDoubtError(writeError: unknown, recoveryError: unknown): RunledgerError {
  return new RunledgerError(
    'LEDGER_IO',
    'the ledger write failed and the ledger could not be reopened to check it: these events may or may not be stored. ' +
      'Restart the process and retry with the same event ids (a stored id is an idempotent no-op)',
    { inDoubt: true, recoveryError: describe(recoveryError) },
    { cause: writeError },
  );
}

export function failedClosedError(recoveryError: unknown): RunledgerError {
  return new RunledgerError(
    'LEDGER_IO',
    'the ledger is closed for writes: a write failed and reopening the ledger failed too. Restart the process',
    { failedClosed: true },
    { cause: recoveryError },
  );
}
