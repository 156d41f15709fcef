/** Human forms of the small command reports: interrupt, reconcile, stop, daemon status, start. */
import type { DaemonStatus } from '../../daemon/api.js';
import type { RunView } from '../../projections/run-view.js';
import { paintStatus, type Style } from './style.js';

export interface RunRefLike {
  id: string;
  shortId: string;
  name: string;
}

export interface InterruptReportLike {
  scope: Record<string, string | undefined>;
  matched: RunRefLike[];
  signaled: RunRefLike[];
  stale: RunRefLike[];
}

const refs = (list: readonly RunRefLike[]) => (list.length === 0 ? '-' : list.map((r) => `${r.shortId} (${r.name})`).join(', '));

export function renderInterrupt(r: InterruptReportLike, style: Style): string {
  const scope = Object.entries(r.scope)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return [
    `scope     ${scope}`,
    `matched   ${refs(r.matched)}`,
    `signaled  ${refs(r.signaled)}`,
    `stale     ${style.magenta(refs(r.stale))}`,
  ].join('\n');
}

export function renderReconcile(r: Record<string, number>): string {
  return Object.entries(r)
    .map(([k, v]) => `${k.padEnd(13)} ${v}`)
    .join('\n');
}

/** One line per run: short id, status, name (stop, restart, bulk results). */
export function renderRunLines(runs: readonly RunView[], style: Style, empty = 'nothing to do'): string {
  if (runs.length === 0) return style.dim(empty);
  return runs.map((r) => `${style.bold(r.shortId)}  ${paintStatus(style, r.status)}  ${r.name}`).join('\n');
}

export function renderDaemonStatus(s: DaemonStatus, style: Style): string {
  if (!s.running) return `${style.yellow('not running')} (home ${s.home})`;
  const tracking = s.tracking
    ? [`tracking  ${s.tracking.mode === 'cgroup' ? `cgroup (${s.tracking.detail})` : `process-group (${s.tracking.detail})`}`]
    : [];
  return [
    `${style.green('running')} pid ${s.pid}`,
    `home      ${s.home}`,
    `socket    ${s.socket}`,
    `since     ${s.startedAt ?? '-'}`,
    `version   ${s.version}`,
    ...tracking,
    ...(s.fleet ? [fleetLine(s.fleet)] : []),
    ...slotsLine(s),
  ].join('\n');
}

/** The slots leased fleet-wide by declaration, and what a start with one of them will meet. */
function slotsLine(s: DaemonStatus): string[] {
  if (s.fleetSlotsError) return [`slots     ${s.fleetSlotsError.code}: ${s.fleetSlotsError.message} (starts with a slot are refused)`];
  if (!s.fleetSlots) return [];
  const outside = s.fleet ? '' : ' (not in a fleet: starts with them fail with FLEET_NOT_CONFIGURED)';
  return [`slots     fleet-wide ${s.fleetSlots.join(', ')}${outside}`];
}

function fleetLine(f: NonNullable<DaemonStatus['fleet']>): string {
  const state = f.lastError ? `paused: ${f.lastError.code} since ${f.lastError.at}` : f.connected ? 'connected' : 'connecting';
  return `fleet     host ${f.host}, ${state}, lag ${f.lag} event${f.lag === 1 ? '' : 's'} (shipped ${f.shipped} of ${f.localHead})`;
}
