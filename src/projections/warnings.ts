/**
 * What a read answer tells its reader it could not fully stand behind: a
 * record it skipped, a snapshot it discarded, a ledger that failed its last
 * verification. Carried in `warnings` of JSON answers and printed on stderr.
 */
import type { RunsState } from './runs.js';

export interface LedgerWarning {
  /** LEDGER_TOO_NEW or the decode error's code for a skipped record; SNAPSHOT_DISCARDED; VERIFY_FAILED. */
  code: string;
  message: string;
  /** The ledger position concerned, when there is one. */
  position?: number;
}

/** One warning per record the fold skipped. */
export function skippedWarnings(state: Pick<RunsState, 'skipped'>): LedgerWarning[] {
  return state.skipped.map((d) => ({
    code: d.code,
    position: d.position,
    message:
      d.code === 'LEDGER_TOO_NEW'
        ? `${d.message}; skipped (upgrade runledger to read it)`
        : `${d.message}; skipped as damaged (\`runledger verify\` checks the ledger)`,
  }));
}

/** Warnings in first-seen order, each message once. */
export function mergeWarnings(...lists: (readonly LedgerWarning[] | undefined)[]): LedgerWarning[] {
  const seen = new Set<string>();
  const out: LedgerWarning[] = [];
  for (const w of lists.flatMap((l) => l ?? [])) {
    if (seen.has(w.message)) continue;
    seen.add(w.message);
    out.push(w);
  }
  return out;
}

/** `{ warnings }` when there are any: answers without warnings keep their shape. */
export function withWarnings(warnings: readonly LedgerWarning[]): { warnings?: LedgerWarning[] } {
  return warnings.length > 0 ? { warnings: [...warnings] } : {};
}
