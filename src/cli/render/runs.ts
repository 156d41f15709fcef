/** The `ps` / `replay` table: short id, name, status, pid, time, exit, command. */
import type { RunView } from '../../projections/run-view.js';
import { formatCommand, formatDuration } from '../../projections/describe.js';
import { paintStatus, type Style } from './style.js';
import { formatTable, truncate } from './table.js';
import { TERMINAL_STATUSES } from '../../events/constants.js';

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

const HEADER = ['ID', 'NAME', 'STATUS', 'PID', 'TIME', 'EXIT', 'COMMAND'];

export function renderRunTable(runs: readonly RunView[], style: Style, now: number, empty = 'no runs'): string {
  if (runs.length === 0) return style.dim(empty);
  const rows = runs.map((r) => [
    style.bold(r.shortId),
    truncate(r.name, 24) + (r.runtime === 'tmux' ? style.dim(' [tmux]') : ''),
    statusCell(r, style),
    pidOf(r),
    timeOf(r, now),
    exitOf(r),
    truncate(formatCommand(r.command, r.args), 60),
  ]);
  return formatTable(HEADER, rows, style.dim);
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
  if (r.signal) return r.signal;
  return r.exitCode === null ? '-' : String(r.exitCode);
}
