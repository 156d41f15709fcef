/**
 * One lane per run (pure): its attempts as spans coloured by phase —
 * pending, starting (spawned, not yet ready), ready / running, stopping
 * (after a stop was requested), and ended attempts by how they ended —
 * markers for what the ledger recorded (ready, checkpoints, signals,
 * restarts, exits; reconcile's compensating events in their own style),
 * and links from each attempt to the restart that followed it.
 */
import type { RunView, UiLedgerEvent } from './types.js';
import { exitCell } from '../../src/projections/describe.js';
import { TERMINAL_STATUSES } from '../../src/events/constants.js';

export interface Span {
  start: number;
  end: number;
  kind: string;
  title: string;
}

export interface Marker {
  at: number;
  kind: string;
  label: string;
  title: string;
  position: number;
}

export interface Link {
  from: number;
  to: number;
  title: string;
}

export interface Lane {
  run: RunView;
  spans: Span[];
  markers: Marker[];
  links: Link[];
}

/** Events reconcile writes when it finds what the log did not say: drawn apart, they are not the process's own doing. */
export const RECONCILE_TYPES = new Set(['ProcessAdopted', 'ExitRecovered', 'ProcessMarkedStale', 'ProcessStatusUnknown']);

const MARKERS: Record<string, { kind: string; label: (e: UiLedgerEvent) => string }> = {
  ProcessReady: { kind: 'ready', label: () => '▲' },
  Checkpointed: { kind: 'checkpoint', label: () => '◆' },
  SignalSent: { kind: 'signal', label: (e) => String((e.data as { signal?: string }).signal ?? 'SIG').replace(/^SIG/, '') },
  StopRequested: { kind: 'stop', label: () => '■' },
  RestartScheduled: { kind: 'restart', label: () => '↻' },
  ReadinessFailed: { kind: 'failure', label: () => '✕' },
  ProcessSpawnFailed: { kind: 'failure', label: () => '✕' },
  RunTimedOut: { kind: 'failure', label: () => '⏱' },
  ProcessExited: { kind: 'exit', label: (e) => exitLabel(e) },
  ExitRecovered: { kind: 'reconcile', label: (e) => `⟲${exitLabel(e)}` },
  ProcessAdopted: { kind: 'reconcile', label: () => '⟲' },
  ProcessMarkedStale: { kind: 'reconcile', label: () => '⟲?' },
  ProcessStatusUnknown: { kind: 'reconcile', label: () => '⟲?' },
  ShimLost: { kind: 'tree', label: () => '⚠' },
  TreeReaped: { kind: 'tree', label: () => '⚑' },
};

function exitLabel(e: UiLedgerEvent): string {
  const d = e.data as { exitCode?: number | null; signal?: string | null };
  return exitCell(d.exitCode ?? null, d.signal ?? null);
}

/** The lane of `run` from its events (position order) as of `now` (ms): live, or a scrubbed moment. */
export function laneOf(run: RunView, events: readonly UiLedgerEvent[], now: number): Lane {
  const spans: Span[] = [];
  const links: Link[] = [];
  const created = Date.parse(run.createdAt);
  const firstStart = run.attempts[0]?.startedAt ? Date.parse(run.attempts[0].startedAt) : null;
  if (firstStart === null && run.status === 'pending') spans.push({ start: created, end: now, kind: 'pending', title: 'pending' });
  const readyAt = new Map<number, number>();
  const stops: number[] = [];
  for (const e of events) {
    const attempt = (e.data as { attempt?: number }).attempt;
    if (e.type === 'ProcessReady' && attempt !== undefined) readyAt.set(attempt, Date.parse(e.time));
    if (e.type === 'StopRequested') stops.push(Date.parse(e.time));
  }
  run.attempts.forEach((a, i) => {
    if (!a.startedAt) return;
    const start = Date.parse(a.startedAt);
    const end = a.endedAt ? Date.parse(a.endedAt) : now;
    const last = i === run.attempts.length - 1;
    const stopAt = stops.find((t) => t >= start && t <= end);
    const ready = readyAt.get(a.n);
    const mainEnd = stopAt ?? end;
    const how = a.endedAt ? endedKind(run, a, last) : null;
    if (ready !== undefined && ready > start)
      spans.push({ start, end: Math.min(ready, mainEnd), kind: how ?? 'starting', title: `attempt ${a.n}: starting` });
    const from = ready !== undefined ? Math.min(ready, mainEnd) : start;
    const phase = ready !== undefined ? 'ready' : last && run.status === 'starting' ? 'starting' : 'running';
    spans.push({
      start: from,
      end: mainEnd,
      kind: how ?? phase,
      title: `attempt ${a.n}: ${a.endedAt ? `ended (${exitCell(a.exitCode, a.signal)})` : phase}`,
    });
    if (stopAt !== undefined) spans.push({ start: stopAt, end, kind: 'stopping', title: `attempt ${a.n}: stopping` });
    const next = run.attempts[i + 1];
    if (next?.startedAt) links.push({ from: end, to: Date.parse(next.startedAt), title: `restart: attempt ${a.n} → ${next.n}` });
    else if (last && run.status === 'restarting') links.push({ from: end, to: now, title: `restart of attempt ${a.n} pending` });
  });
  const markers = events.flatMap((e): Marker[] => {
    const m = MARKERS[e.type];
    if (!m) return [];
    const kind = RECONCILE_TYPES.has(e.type) ? 'reconcile' : m.kind;
    return [{ at: Date.parse(e.time), kind, label: m.label(e), title: `#${e.position} ${e.time}\n${e.text}`, position: e.position }];
  });
  return { run, spans, markers, links };
}

/** How an ended attempt is coloured: the run's final status for its last one, else by its exit. */
function endedKind(run: RunView, a: RunView['attempts'][number], last: boolean): string {
  if (last && isTerminal(run.status)) return `status-${run.status}`;
  return a.exitCode === 0 && !a.signal ? 'status-completed' : 'status-failed';
}

// The catalogue's one list, shared with the CLI, so page and terminal agree on when a run has ended.
const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

/** The time range the lanes cover, padded a little. */
export function rangeOf(lanes: readonly Lane[], now: number): { from: number; to: number } {
  let from = now;
  for (const l of lanes) {
    from = Math.min(from, Date.parse(l.run.createdAt));
    for (const s of l.spans) from = Math.min(from, s.start);
  }
  const span = Math.max(1000, now - from);
  return { from: from - span * 0.01, to: now + span * 0.03 };
}
