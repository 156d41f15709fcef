/**
 * The text of the selected run's details: its facts and its attempts' cells.
 * Pure (no DOM), so a test can hold it against what the CLI's `show` prints.
 */
import type { ShowResponse } from './types.js';
import { exitCell, formatBytes, formatCommand, formatDuration } from '../../src/projections/describe.js';
import { isTerminal } from './lanes.js';

/** Label and text for each fact the panel lists, in order. */
export function runFacts(res: ShowResponse): [string, string][] {
  const r = res.run;
  const facts: [string, string][] = [
    ['status', `${r.status}${r.reason ? ` (${r.reason})` : ''}${r.ready ? ', ready' : ''}`],
    ['command', formatCommand(r.command, r.args)],
    ['cwd', r.cwd],
    // As the CLI's `exitOf`: a run that has not ended has no exit, whatever its previous attempt did (that is in its row).
    ['exit', isTerminal(r.status) ? exitCell(r.exitCode, r.signal) : '-'],
    ['duration', r.durationMs === null ? '-' : formatDuration(r.durationMs)],
    ['created', r.createdAt],
  ];
  if (Object.keys(r.labels).length) facts.push(['labels', pairs(r.labels)]);
  if (Object.keys(r.owner).length) facts.push(['owner', pairs(r.owner as Record<string, string>)]);
  if (r.slot) facts.push(['slot', r.slot]);
  if (r.restarts) facts.push(['restarts', String(r.restarts)]);
  if (r.git) facts.push(['commit', `${r.git.commit.slice(0, 12)}${r.git.dirty ? ' (dirty)' : ''}`]);
  if (res.usage) {
    const u = res.usage;
    // CPU% needs two samples: left out until then rather than shown as a dash.
    const cpu = u.cpuPercent === null ? '' : `${u.cpuPercent.toFixed(1)}% cpu, `;
    facts.push(['usage now', `${cpu}${formatBytes(u.rssBytes)} rss, ${u.processes} process${u.processes === 1 ? '' : 'es'}`]);
  }
  return facts;
}

export const ATTEMPT_COLUMNS = ['#', 'status', 'pid', 'exit', 'cpu', 'peak rss', 'tracking'] as const;

/** One attempt's cells under ATTEMPT_COLUMNS; the live attempt's usage comes from the latest sample. */
export function attemptCells(res: ShowResponse, a: ShowResponse['run']['attempts'][number]): string[] {
  const live = res.usage?.attempt === a.n ? res.usage : undefined;
  const usage = a.usage ?? live;
  return [
    String(a.n),
    a.status,
    a.pid === null ? '-' : String(a.pid),
    exitCell(a.exitCode, a.signal),
    usage ? `${usage.cpuSeconds.toFixed(2)}s` : '-',
    usage ? formatBytes(usage.peakRssBytes) : '-',
    a.tracking ?? '-',
  ];
}

function pairs(o: Record<string, string>): string {
  return Object.entries(o)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
