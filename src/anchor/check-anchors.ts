/**
 * The reader side of anchors: does the log still hold, at every checkpointed
 * position, the hash that was signed there? A log that ends before a
 * checkpoint was rolled back (an older copy of the directory) or truncated;
 * another hash at a checkpointed position was edited, even if every later
 * hash was recomputed. The daemon can call this from its last verified
 * checkpoint (`from`) to stay fast on a long log.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { EventStore } from '../store/event-store.js';
import { checkCheckpointSignature, parseCheckpointLine, type SignedCheckpoint } from './checkpoint-line.js';
import type { AnchorKey } from './signing.js';

export type AnchorProblemCode = 'LEDGER_ROLLED_BACK' | 'ANCHOR_MISMATCH' | 'ANCHOR_BAD_SIGNATURE';

export interface AnchorProblem {
  code: AnchorProblemCode;
  position: number;
  /** Line of the checkpoint file, when the problem comes from one. */
  line?: number;
  reason: string;
}

export interface AnchorReport {
  ok: boolean;
  file: string;
  /** Checkpoint lines that were checked against the log. */
  checked: number;
  /** Id of the public key the signatures were checked with, if there is one. */
  key?: string;
  /** The highest checkpoint that checked out (a daemon can verify from here next time). */
  last?: { position: number; hash: string; time: string };
  problem?: AnchorProblem;
  warnings: string[];
}

/** The hash the log holds at `position`, or undefined when the log does not reach it. */
export async function hashAt(store: EventStore, position: number): Promise<string | undefined> {
  const { position: head } = await store.head();
  if (position > head) return undefined;
  if (position === 0) return '';
  for await (const page of store.scanStored({ from: position, pageSize: 1 })) {
    const json = page[0];
    if (json === undefined) return undefined;
    const hash = (JSON.parse(json) as { hash?: unknown }).hash;
    return typeof hash === 'string' ? hash : '';
  }
  return undefined;
}

/** Check one anchor (from a checkpoint or from the user) against the log. */
export async function checkAnchor(
  store: EventStore,
  anchor: { position: number; hash: string },
  where: string,
): Promise<Omit<AnchorProblem, 'line'> | undefined> {
  const head = (await store.head()).position;
  const found = await hashAt(store, anchor.position);
  if (found === undefined) {
    return {
      code: 'LEDGER_ROLLED_BACK',
      position: anchor.position,
      reason: `${where} says position ${anchor.position} had hash ${anchor.hash}, but the log ends at ${head} (rolled back or truncated)`,
    };
  }
  if (found !== anchor.hash) {
    return {
      code: 'ANCHOR_MISMATCH',
      position: anchor.position,
      reason: `${where} says position ${anchor.position} had hash ${anchor.hash}, the log has ${found} (edited, even if later hashes were recomputed)`,
    };
  }
  return undefined;
}

export async function verifyAgainstCheckpoints(
  store: EventStore,
  checkpointFile: string,
  options: { key?: AnchorKey; from?: number } = {},
): Promise<AnchorReport> {
  const report: AnchorReport = {
    ok: true,
    file: checkpointFile,
    checked: 0,
    ...(options.key ? { key: options.key.id } : {}),
    warnings: [],
  };
  const fail = (problem: AnchorProblem): AnchorReport => ({ ...report, ok: false, problem });
  if (!existsSync(checkpointFile)) {
    if ((await store.head()).position > 0)
      report.warnings.push(`no checkpoint file at ${checkpointFile}: nothing outside the ledger to check it against`);
    return report;
  }
  if (!options.key) report.warnings.push('no anchor public key in the home: checkpoint signatures were not checked');
  const text = readFileSync(checkpointFile, 'utf8');
  const lines = text.split('\n');
  const from = options.from ?? 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const parsed = parseCheckpointLine(line);
    if (!parsed.ok) {
      // A crash mid-write can leave a torn last line (no newline after it); that is not tampering.
      if (i === lines.length - 1) {
        report.warnings.push(`checkpoint file line ${i + 1} is incomplete (${parsed.reason}); ignored`);
        continue;
      }
      return fail({
        code: 'ANCHOR_BAD_SIGNATURE',
        position: 0,
        line: i + 1,
        reason: `checkpoint file line ${i + 1} is not a checkpoint: ${parsed.reason}`,
      });
    }
    const c: SignedCheckpoint = parsed.checkpoint;
    if (options.key) {
      const sig = checkCheckpointSignature(c, options.key);
      if (sig !== 'ok') {
        const why =
          sig === 'other-key'
            ? `was signed by key ${c.key}, not this home's key ${options.key.id}`
            : 'has a signature that does not verify';
        return fail({
          code: 'ANCHOR_BAD_SIGNATURE',
          position: c.position,
          line: i + 1,
          reason: `checkpoint at position ${c.position} (line ${i + 1}) ${why}`,
        });
      }
    }
    if (c.position < from) continue;
    const problem = await checkAnchor(store, c, `checkpoint line ${i + 1} (${c.time})`);
    if (problem) return fail({ ...problem, line: i + 1 });
    report.checked += 1;
    if (!report.last || c.position >= report.last.position) report.last = { position: c.position, hash: c.hash, time: c.time };
  }
  return report;
}
