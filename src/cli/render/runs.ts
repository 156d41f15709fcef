/** The `ps` / `replay` table: short id, (host), name, status, pid, (CPU%, RSS), time, exit, (health), command. */
import type { LiveUsage } from '../../daemon/api.js';
import type { RunView } from '../../projections/run-view.js';
import { exitCell, formatBytes, formatCommand, formatDuration } from '../../projections/describe.js';
import { paintStatus, type Style } from './style.js';
import { formatTable, truncate } from './table.js';
import { TERMINAL_STATUSES } from '../../events/constants.js';

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

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
  // The HEALTH column only when a listed run has a health check: other tables stay as they were.
  const withHealth = runs.some((r) => r.health !== undefined);
  // Answers from the fleet say where each run is.
  const hosts = runs.some((r) => r.host !== undefined);
  const rows = runs.map((r) => [
    style.bold(r.shortId),
    ...(hosts ? [truncate(r.host ?? '-', 20)] : []),
    truncate(r.name, 24) + (r.runtime === 'tmux' ? style.dim(' [tmux]') : ''),
    statusCell(r, style),
    pidOf(r),
    ...(usage ? usageCells(usage[r.id]) : []),
    timeOf(r, now),
    exitOf(r),
    ...(withHealth ? [healthOf(r, style)] : []),
    truncate(formatCommand(r.command, r.args), 60),
  ]);
  const header = [
    'ID',
    ...(hosts ? ['HOST'] : []),
    'NAME',
    'STATUS',
    'PID',
    ...(usage ? ['CPU%', 'RSS'] : []),
    'TIME',
    'EXIT',
    ...(withHealth ? ['HEALTH'] : []),
    'COMMAND',
  ];
  return formatTable(header, rows, style.dim);
}

/** healthy / unhealthy (red) / starting (dim); '-' for a run without a health check. */
export function healthOf(r: RunView, style: Style): string {
  if (r.health === 'unhealthy') return style.red('unhealthy');
  if (r.health === 'starting') return style.dim('starting');
  return r.health ?? '-';
}

function usageCells(u: LiveUsage | undefined): string[] {
  if (!u) return ['-', '-'];
  return [u.cpuPercent === null ? '-' : u.cpuPercent.toFixed(1), formatBytes(u.rssBytes)];
}

/** `running*` (passed its ready check), then `↺n` once it restarted n times. */
export function statusCell(r: RunView, style: Style): string {
  const ready = r.ready && r.status === 'running' ? style.dim('*') : '';
  return paintStatus(style, r.status) + ready + (r.restarts > 0 ? ` ↺${r.restarts}` : '');
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

/** How the run ended; an active run has not ended, whatever its previous attempt did (that is in `show`). */
export function exitOf(r: RunView): string {
  if (!TERMINAL.has(r.status)) return '-';
  return exitCell(r.exitCode, r.signal);
}
