/** The `ps` / `replay` table: short id, name, status, pid, (CPU%, RSS), time, exit, command. */
import type { LiveUsage } from '../../daemon/api.js';
import type { RunView } from '../../projections/run-view.js';
import { formatBytes, formatCommand, formatDuration } from '../../projections/describe.js';
import { paintStatus, type Style } from './style.js';
import { formatTable, truncate } from './table.js';

/**
 * `usage` (the daemon's latest sample per live run) adds the CPU% and RSS
 * columns; without it (replay, no daemon) the table has none, since nothing measured them.
 */
export function renderRunTable(
  runs: readonly RunView[],
  style: Style,
  now: number,
  empty = 'no runs',
  usage?: Record<string, LiveUsage>,
): string {
  if (runs.length === 0) return style.dim(empty);
  const header = ['ID', 'NAME', 'STATUS', 'PID', ...(usage ? ['CPU%', 'RSS'] : []), 'TIME', 'EXIT', 'COMMAND'];
  const rows = runs.map((r) => [
    style.bold(r.shortId),
    truncate(r.name, 24),
    paintStatus(style, r.ready && r.status === 'running' ? 'running' : r.status) +
      (r.ready && r.status === 'running' ? style.dim('*') : ''),
    pidOf(r),
    ...(usage ? usageCells(usage[r.id]) : []),
    timeOf(r, now),
    exitOf(r),
    truncate(formatCommand(r.command, r.args), 60),
  ]);
  return formatTable(header, rows, style.dim);
}

function usageCells(u: LiveUsage | undefined): string[] {
  if (!u) return ['-', '-'];
  return [u.cpuPercent === null ? '-' : u.cpuPercent.toFixed(1), formatBytes(u.rssBytes)];
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
