/** Which runs the timeline shows and how it groups them (pure). */
import type { RunView } from './types.js';

export interface Filters {
  /** Empty: every status. */
  status: string;
  /** Substring of the name, the short id or the command. */
  name: string;
  /** `k=v` or `k` (the label is set). */
  label: string;
  /** `key=value` of the owner scope, e.g. `session=abc`. */
  owner: string;
  /** 'stack', 'session', 'none', or `label:KEY`. */
  groupBy: string;
}

export const NO_FILTERS: Filters = { status: '', name: '', label: '', owner: '', groupBy: 'stack' };

export function matches(run: RunView, f: Filters): boolean {
  if (f.status && run.status !== f.status) return false;
  const needle = f.name.trim().toLowerCase();
  if (needle && ![run.name, run.shortId, run.command].some((s) => s.toLowerCase().includes(needle))) return false;
  if (f.label.trim() && !pairMatches(run.labels, f.label)) return false;
  if (f.owner.trim() && !pairMatches(run.owner as Record<string, string | undefined>, f.owner)) return false;
  return true;
}

function pairMatches(record: Record<string, string | undefined>, wanted: string): boolean {
  const [k, ...rest] = wanted.trim().split('=');
  const value = record[k!.trim()];
  if (rest.length === 0) return value !== undefined;
  return value === rest.join('=').trim();
}

/** The group a run's lane goes in: its stack, its owner session, a label's value, or one group for all. */
export function groupOf(run: RunView, groupBy: string): string {
  if (groupBy === 'none') return 'runs';
  if (groupBy === 'session') return run.owner.session ? `session ${run.owner.session}` : 'no session';
  if (groupBy.startsWith('label:')) {
    const key = groupBy.slice('label:'.length);
    return run.labels[key] !== undefined ? `${key}=${run.labels[key]}` : `no ${key}`;
  }
  const stack = run.labels['runledger.stack'];
  return stack ? `stack ${stack}` : 'no stack';
}

/** Groups in a stable order (by name, the catch-all groups last), runs newest first inside each. */
export function groupRuns(runs: readonly RunView[], groupBy: string): [string, RunView[]][] {
  const groups = new Map<string, RunView[]>();
  for (const run of runs) {
    const g = groupOf(run, groupBy);
    groups.set(g, [...(groups.get(g) ?? []), run]);
  }
  const last = (name: string) => name.startsWith('no ');
  return [...groups.entries()]
    .sort(([a], [b]) => Number(last(a)) - Number(last(b)) || a.localeCompare(b))
    .map(([g, rs]) => [g, rs.slice().sort((x, y) => y.createdAt.localeCompare(x.createdAt))]);
}

/** Label keys present on any run (besides the stack's), for the group-by menu. */
export function labelKeys(runs: Iterable<RunView>): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.labels)) if (k !== 'runledger.stack') keys.add(k);
  return [...keys].sort();
}
