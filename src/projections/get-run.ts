/**
 * Find one run from what a person typed: the full ULID (any case), `run-<ulid>`,
 * the 7-character short id or a unique prefix of it (>= 4 characters), or a
 * unique prefix of the full id (>= 8 characters), or a run's exact name.
 * Unknown -> RUN_NOT_FOUND; more than one match -> AMBIGUOUS_ID with the
 * candidates, so the user can pick one without another command.
 *
 * A name means the newest *active* run of that name (`stop web` stops the web
 * server that runs now, not last week's); with none active, the newest run of
 * that name; two active ones are ambiguous. An exact id or short id wins over
 * a name, a name over a prefix.
 */
import { RunledgerError } from '../errors.js';
import type { RunStatus } from '../events/schemas.js';
import { isActive, type RunState } from './run-state.js';
import type { RunsState } from './runs.js';
import { SHORT_ID_LENGTH } from './short-id.js';

const MIN_SHORT_PREFIX = 4;
const MIN_ID_PREFIX = 8;
const ULID_LENGTH = 26;

export interface RunCandidate {
  id: string;
  shortId: string;
  name: string;
  status: RunStatus;
}

export function getRun(state: RunsState, idOrShortId: string): RunState {
  const typed = idOrShortId.trim();
  const bare = typed.toLowerCase().startsWith('run-') ? typed.slice(4) : typed;
  const exact = state.runs.get(bare.toUpperCase()) ?? exactShortId(state, bare);
  if (exact) return exact;
  const named = byName(state, typed);
  if (named) return named;
  const ids = matchingIds(state, bare);
  if (ids.length === 1) return state.runs.get(ids[0]!)!;
  if (ids.length === 0) {
    const hint = bare.length < MIN_SHORT_PREFIX ? `; a short id prefix needs at least ${MIN_SHORT_PREFIX} characters` : '';
    throw new RunledgerError('RUN_NOT_FOUND', `no run matches "${typed}" (no such id, short id or run name)${hint}`, { input: typed });
  }
  const candidates = ids.map((id) => candidateOf(state.runs.get(id)!));
  const list = candidates.map((c) => `${c.shortId} ${c.id} (${c.name}, ${c.status})`).join('; ');
  throw new RunledgerError('AMBIGUOUS_ID', `"${typed}" matches ${candidates.length} runs: ${list}; type more characters or the full id`, {
    input: typed,
    candidates,
  });
}

function exactShortId(state: RunsState, bare: string): RunState | undefined {
  const ids = state.byShortId.get(bare.toLowerCase());
  return ids?.length === 1 ? state.runs.get(ids[0]!) : undefined;
}

function byName(state: RunsState, name: string): RunState | undefined {
  const all: RunState[] = [];
  for (const id of state.order) {
    const run = state.runs.get(id)!;
    if (run.spec.name === name) all.push(run);
  }
  if (all.length === 0) return undefined;
  const active = all.filter(isActive);
  if (active.length > 1) {
    const candidates = active.reverse().map(candidateOf);
    const list = candidates.map((c) => `${c.shortId} (${c.status})`).join(', ');
    throw new RunledgerError('AMBIGUOUS_ID', `${candidates.length} active runs are named "${name}": ${list}; use a short id`, {
      input: name,
      candidates,
    });
  }
  return active[0] ?? all[all.length - 1];
}

/** Ids in creation order whose short id or full id the input is a long enough prefix of. */
function matchingIds(state: RunsState, bare: string): string[] {
  const found = new Set<string>();
  const lower = bare.toLowerCase();
  if (lower.length >= MIN_SHORT_PREFIX && lower.length <= SHORT_ID_LENGTH) {
    for (const [shortId, ids] of state.byShortId) if (shortId.startsWith(lower)) ids.forEach((id) => found.add(id));
  }
  const upper = bare.toUpperCase();
  if (upper.length >= MIN_ID_PREFIX && upper.length < ULID_LENGTH) {
    for (const id of state.order) if (id.startsWith(upper)) found.add(id);
  }
  // Present them in creation order whichever index found them.
  return found.size <= 1 ? [...found] : state.order.filter((id) => found.has(id));
}

function candidateOf(run: RunState): RunCandidate {
  return { id: run.id, shortId: run.shortId, name: run.spec.name, status: run.status };
}
