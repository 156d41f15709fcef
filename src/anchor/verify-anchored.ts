/**
 * What `runledger verify` answers for a ledger: the store's own checks (hash
 * chain, indexes, head), then the signed checkpoints outside the ledger, then
 * an anchor the user kept. The first failure decides the code, so a program
 * can branch on `code` and a person reads the position in `firstBad`.
 */
import type { ErrorCode } from '../errors.js';
import type { EventStore, Head } from '../store/event-store.js';
import { checkAnchor, verifyAgainstCheckpoints, type AnchorReport } from './check-anchors.js';
import { loadPublicKey } from './key-files.js';
import { anchorPaths } from './paths.js';

import type { UserAnchor } from './user-anchor.js';

export type { UserAnchor };
export { parseUserAnchor } from './user-anchor.js';

export interface AnchoredVerifyResult {
  ok: boolean;
  checked: number;
  head: Head;
  /** Why it failed: CORRUPT_LEDGER for the chain itself, else the anchor code. */
  code?: ErrorCode;
  firstBad?: { position: number; reason: string };
  anchors: AnchorReport;
  warnings: string[];
}

export interface AnchoredVerifyOptions {
  home: string;
  env?: NodeJS.ProcessEnv;
  anchor?: UserAnchor;
  /** Verify the chain and the checkpoints from this position on (a daemon start resumes from its last verified checkpoint). */
  from?: number;
}

export async function verifyAnchored(store: EventStore, options: AnchoredVerifyOptions): Promise<AnchoredVerifyResult> {
  const from = options.from ?? 1;
  const chain = await store.verify(from > 1 ? { from } : undefined);
  const head = await store.head();
  const paths = anchorPaths(options.home, options.env);
  const key = loadPublicKey(paths);
  const anchors = await verifyAgainstCheckpoints(store, paths.checkpoints, { ...(key ? { key } : {}), ...(from > 1 ? { from } : {}) });
  const user = options.anchor ? await checkAnchor(store, options.anchor, 'the given anchor') : undefined;
  const base = {
    checked: chain.checked,
    head: { position: head.position, hash: head.position === 0 ? '' : head.hash },
    anchors,
    warnings: anchors.warnings,
  };
  if (!chain.ok)
    return { ...base, ok: false, code: chain.firstBad?.code ?? 'CORRUPT_LEDGER', ...(chain.firstBad ? { firstBad: chain.firstBad } : {}) };
  const problem = anchors.problem ?? user;
  if (problem) return { ...base, ok: false, code: problem.code, firstBad: { position: problem.position, reason: problem.reason } };
  return { ...base, ok: true };
}
