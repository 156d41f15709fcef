/**
 * `<home>/verified.json`: how far the daemon last verified the ledger
 * (`position`, `hash`), or where verification failed. The next start
 * verifies only from there, so a start stays fast at a million events; a
 * failure stays recorded (and is shown by every read command, with or
 * without a daemon) until a later verification passes.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerWarning } from '../projections/warnings.js';

export interface VerifiedMark {
  /** Last position verified (with everything before it). */
  position: number;
  /** That position's hash, so a ledger replaced underneath is noticed and verified in full. */
  hash: string;
  at: string;
  failed?: { position: number; reason: string };
}

export function verifiedMarkPath(home: string): string {
  return join(home, 'verified.json');
}

/** The mark, or undefined when there is none or it does not parse (then everything is verified again). */
export function readVerifiedMark(home: string): VerifiedMark | undefined {
  try {
    const m = JSON.parse(readFileSync(verifiedMarkPath(home), 'utf8')) as Partial<VerifiedMark>;
    if (!Number.isSafeInteger(m.position) || typeof m.hash !== 'string' || typeof m.at !== 'string') return undefined;
    return m as VerifiedMark;
  } catch {
    return undefined;
  }
}

/** Atomically (temp + rename), 0600. */
export function writeVerifiedMark(home: string, mark: VerifiedMark): void {
  const path = verifiedMarkPath(home);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(mark) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

/** The one-line warning every read command shows while the last verification failed. */
export function verificationWarning(mark: VerifiedMark | undefined): LedgerWarning | undefined {
  if (!mark?.failed) return undefined;
  const { position, reason } = mark.failed;
  return {
    code: 'VERIFY_FAILED',
    position,
    message: `ledger verification failed at position ${position} (${reason}) when the daemon started; answers may include altered records: run \`runledger verify\`, then \`runledger salvage\` to keep the verified part`,
  };
}

/**
 * Record a full `verify` (from position 1) of the ledger at `head`: a pass
 * clears a recorded failure (the damage was dealt with, e.g. by salvage), a
 * failure is recorded unless `passOnly` (a verify racing live appends can
 * fail spuriously, so the daemon's on-demand verify only ever clears).
 */
export function recordFullVerify(
  home: string,
  result: { ok: boolean; firstBad?: { position: number; reason: string } },
  head: { position: number; hash: string },
  options: { passOnly?: boolean } = {},
): void {
  const at = new Date().toISOString();
  if (result.ok) writeVerifiedMark(home, { position: head.position, hash: head.hash, at });
  else if (!options.passOnly)
    writeVerifiedMark(home, { position: 0, hash: '', at, failed: result.firstBad ?? { position: 1, reason: 'verification failed' } });
}
