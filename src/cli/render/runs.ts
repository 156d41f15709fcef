/** The `ps` / `replay` table: short id, name, status, pid, time, exit, command. */
import type { RunView } from '../../projections/run-view.js';
import { formatCommand, formatDuration } from '../../projections/describe.js';
import { paintStatus, type Style } from './style.js';
import { formatTable, truncate } from './table.js';

const HEADER = ['ID', 'NAME', 'STATUS', 'PID', 'TIME', 'EXIT', 'COMMAND'];

export function renderRunTable(runs: readonly RunView[], style: Style, now: number, empty = 'no runs'): string {
  if (runs.length === 0) return style.dim(empty);
  // Answers from the fleet say where each run is.
  const hosts = runs.some((r) => r.host !== undefined);
  const rows = runs.map((r) => [
    style.bold(r.shortId),
    ...(hosts ? [truncate(r.host ?? '-', 20)] : []),
    truncate(r.name, 24),
    paintStatus(style, r.ready && r.status === 'running' ? 'running' : r.status) +
      (r.ready && r.status === 'running' ? style.dim('*') : ''),
    pidOf(r),
    timeOf(r, now),
    exitOf(r),
    truncate(formatCommand(r.command, r.args), 60),
  ]);
  return formatTable(hosts ? ['ID', 'HOST', ...HEADER.slice(1)] : HEADER, rows, style.dim);
}

/** The pid of the live attempt; finished runs show none. */
export function pidOf(r: RunView): string {
  const last = r.attempts[r.attempts.length - 1];
  return last && last.status === 'running' && last.pid !== null ? String(last.pid) : '-';
}

/** Uptime while active (from the caller's clock), duration once ended. */
export function timeOf(r: RunView, now: number): string {
  if (r.startedAt === null) return '-';
  const end = r.endedAt !== null ? Date.parse(r.endedAt) : now;
  return formatDuration(Math.max(0, end - Date.parse(r.startedAt)));
}

export function exitOf(r: RunView): string {
  if (r.signal) return r.signal;
  return r.exitCode === null ? '-' : String(r.exitCode);
}
