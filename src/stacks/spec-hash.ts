/**
 * The spec hash of a stack process: sha256 over the canonical JSON of its
 * normalized spec (what the ledger records, secrets redacted) plus its health
 * block, without `runledger.*` labels (the stack's own, an MCP client's) and
 * without the owner: who ran `up` (the CLI, one MCP session or another) is not
 * what runs, so it must not restart anything. Recorded on the run as the label
 * runledger.spec-hash, so `up` after an edit restarts exactly the processes
 * whose hash changed. A changed *secret* value is not seen (it is never
 * recorded, and hashing it would put a guessable digest of it in the ledger).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../events/hash.js';
import { normalizeSpec } from '../supervisor/spec.js';
import type { PlannedProcess } from './plan.js';

export function specHashOf(p: PlannedProcess): string {
  const { record } = normalizeSpec(p.spec, '/');
  const labels = Object.fromEntries(Object.entries(record.labels).filter(([k]) => !k.startsWith('runledger.')));
  // owner: {} is what a CLI `up` records, so hashes of stacks started before this rule are unchanged.
  const hashed = { ...record, owner: {}, labels, health: p.spec.health ?? null };
  return createHash('sha256').update(canonicalJson(hashed)).digest('hex').slice(0, 16);
}

/** One hash for the whole stack: its instances' names and hashes, in order. */
export function stackHashOf(hashes: ReadonlyMap<string, string>): string {
  return createHash('sha256')
    .update(canonicalJson([...hashes].sort(([a], [b]) => (a < b ? -1 : 1))))
    .digest('hex')
    .slice(0, 16);
}
