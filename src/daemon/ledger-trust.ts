/**
 * What the daemon establishes about its ledger before it appends anything:
 * the start-up verification (start-verify.ts), the snapshot key, and the
 * initial state, loaded from a checked snapshot and folded past records it
 * cannot decode. Afterwards it answers which warnings every read must carry.
 */
import { loadRunsState } from '../projections/load.js';
import type { RunsState } from '../projections/runs.js';
import { mergeWarnings, skippedWarnings, type LedgerWarning } from '../projections/warnings.js';
import type { EventStore } from '../store/event-store.js';
import type { Logger } from './logger.js';
import { loadSnapshotKey } from './snapshot-key.js';
import { verifyOnStart } from './start-verify.js';
import { recordFullVerify } from './verified-mark.js';

export interface LedgerTrust {
  initialState: RunsState;
  snapshotKey: Buffer;
  /** The warnings for answers from `state` (the live fold, which keeps the skipped records). */
  warnings(state: RunsState): LedgerWarning[];
  /** A full verify passed: clear the start-up warning and record the point. */
  verificationPassed(head: { position: number; hash: string }): void;
}

export async function establishLedgerTrust(store: EventStore, home: string, log: Logger): Promise<LedgerTrust> {
  // Before anything is appended, so verification sees exactly the log it was given.
  let verifyWarning = await verifyOnStart(store, home, log);
  const snapshotKey = loadSnapshotKey(home);
  // A discarded snapshot is said once in the log (a good one is written back); a record that does not decode is skipped and kept in state.skipped.
  const initialState = await loadRunsState(store, { trust: { key: snapshotKey, onDiscard: (message) => log.warn(message) } });
  for (const w of skippedWarnings(initialState)) log.warn(w.message, { position: w.position, code: w.code });
  return {
    initialState,
    snapshotKey,
    warnings: (state) => mergeWarnings(verifyWarning ? [verifyWarning] : [], skippedWarnings(state)),
    verificationPassed(head) {
      recordFullVerify(home, { ok: true }, head);
      verifyWarning = undefined;
    },
  };
}
