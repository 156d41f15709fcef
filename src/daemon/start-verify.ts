/**
 * On start, before anything is appended, the daemon verifies the ledger from
 * the last verified point (verified-mark.ts) to the head: a few records
 * after a clean stop, the whole log only the first time or after a failure.
 * A failure does not stop the daemon (the runs it supervises still need it);
 * it becomes a warning on every read answer until a later start verifies clean.
 */
import { storedHashAt } from '../projections/catch-up.js';
import type { LedgerWarning } from '../projections/warnings.js';
import type { EventStore } from '../store/event-store.js';
import type { Logger } from './logger.js';
import { readVerifiedMark, verificationWarning, writeVerifiedMark, type VerifiedMark } from './verified-mark.js';

/** Where to start: after the mark when it still names the same record, else from 1. */
async function resumeFrom(store: EventStore, mark: VerifiedMark | undefined, head: number): Promise<number> {
  if (!mark || mark.failed || mark.position < 1 || mark.position > head) return 1;
  return (await storedHashAt(store, mark.position)) === mark.hash ? mark.position + 1 : 1;
}

/** Verify what was not verified yet; returns the warning to show, if verification failed. */
export async function verifyOnStart(store: EventStore, home: string, log: Logger): Promise<LedgerWarning | undefined> {
  const mark = readVerifiedMark(home);
  try {
    const head = await store.head();
    const from = await resumeFrom(store, mark, head.position);
    const started = Date.now();
    const result = from > head.position ? { ok: true, checked: 0 } : await store.verify({ from });
    const at = new Date().toISOString();
    if (result.ok) {
      writeVerifiedMark(home, { position: head.position, hash: head.hash, at });
      log.info('ledger verified', { from, to: head.position, checked: result.checked, ms: Date.now() - started });
      return undefined;
    }
    const failed = (result as { firstBad?: { position: number; reason: string } }).firstBad ?? {
      position: from,
      reason: 'verification failed',
    };
    const next: VerifiedMark = { position: from - 1, hash: mark?.hash ?? '', at, failed };
    writeVerifiedMark(home, next);
    const warning = verificationWarning(next)!;
    log.warn(warning.message, { position: failed.position });
    return warning;
  } catch (err) {
    // Could not verify (I/O): say so in the log, and keep the previous verdict.
    log.warn('ledger verification at start could not run', { message: (err as Error).message });
    return verificationWarning(mark);
  }
}
