/** `show`: the run's facts, its attempts and its timeline, for people. */
import type { ShowResponse } from '../../daemon/api.js';
import { exitCell, formatBytes, formatCommand } from '../../projections/describe.js';
import type { TimelineEntry } from '../../projections/timeline.js';
import { treeText } from '../../projections/timeline-text.js';
import { exitOf, healthOf, timeOf } from './runs.js';
import { paintStatus, type Style } from './style.js';
import { formatTable } from './table.js';

export function renderShow(res: ShowResponse, style: Style, now: number): string {
  const r = res.run;
  const facts: [string, string][] = [
    ['id', `${style.bold(r.shortId)} ${r.id}`],
    ['name', r.name],
    ['status', paintStatus(style, r.status) + (r.reason ? ` (${r.reason})` : '') + (r.ready ? ' ready' : '')],
    ['command', formatCommand(r.command, r.args)],
    ['cwd', r.cwd],
    ['runtime', r.runtime],
    ...(res.attach ? [['attach', `${res.attach.runledger}\n${' '.repeat(10)}${res.attach.tmux.join(' ')}`] as [string, string]] : []),
    ...(r.git
      ? [
          ['commit', `${r.git.commit.slice(0, 12)} ${r.git.dirty ? style.bold('(dirty work tree)') : '(clean)'} in ${r.git.root}`] as [
            string,
            string,
          ],
        ]
      : []),
    ['exit', exitOf(r)],
    ['time', timeOf(r, now)],
    ['created', r.createdAt],
  ];
  if (r.startedAt) facts.push(['started', r.startedAt]);
  if (r.endedAt) facts.push(['ended', r.endedAt]);
  if (Object.keys(r.labels).length > 0) facts.push(['labels', pairs(r.labels)]);
  if (Object.keys(r.owner).length > 0) facts.push(['owner', pairs(r.owner as Record<string, string>)]);
  if (r.slot) facts.push(['slot', r.slot]);
  if (r.key) facts.push(['key', r.key]);
  if (r.batchId) facts.push(['batch', r.batchId]);
  if (r.rerunOf) facts.push(['rerun of', r.rerunOf]);
  if (r.restarts > 0) facts.push(['restarts', String(r.restarts)]);
  if (r.health !== undefined) facts.push(['health', healthOf(r, style)]);
  const usage = usageText(res);
  if (usage) facts.push(['usage', usage]);
  if (r.logsPruned) facts.push(['logs', `pruned at ${r.logsPruned.at} (LogsPruned, event #${r.logsPruned.position})`]);
  else if (res.logs) facts.push(['logs', `${res.logs.stdout}\n${' '.repeat(10)}${res.logs.stderr}`]);
  const width = Math.max(...facts.map(([k]) => k.length)) + 2;
  const parts = [facts.map(([k, v]) => style.dim(k.padEnd(width)) + v).join('\n')];
  if (r.attempts.length > 0) {
    const rows = r.attempts.map((a) => [
      String(a.n),
      a.status,
      a.pid === null ? '-' : String(a.pid),
      a.startedAt ?? '-',
      a.endedAt ?? '-',
      exitCell(a.exitCode, a.signal),
      a.tracking ?? '-',
      a.usage ? `${a.usage.cpuSeconds.toFixed(2)}s` : '-',
      a.usage ? formatBytes(a.usage.peakRssBytes) : '-',
    ]);
    parts.push(
      style.bold('attempts') +
        '\n' +
        formatTable(['#', 'STATUS', 'PID', 'STARTED', 'ENDED', 'EXIT', 'TRACKING', 'CPU', 'PEAK RSS'], rows, style.dim),
    );
    // What the main process left behind is part of how the attempt ended: never only "killed".
    const trees = r.attempts
      .filter((a) => a.tree)
      .map((a) => `attempt ${a.n}: ${treeText({ ...a.tree!, tracking: a.tracking ?? 'process-group' })}`);
    if (trees.length > 0)
      parts.push(style.bold('leftovers') + '\n' + trees.map((t) => (t.includes('SURVIVED') ? style.red(t) : t)).join('\n'));
  }
  parts.push(style.bold('timeline') + '\n' + renderTimeline(res.timeline, style));
  return parts.join('\n\n');
}

export function renderTimeline(entries: readonly TimelineEntry[], style: Style): string {
  if (entries.length === 0) return style.dim('(no events)');
  // Positions padded to the widest, so the text column does not shift at #10, #100, #1000.
  const width = Math.max(...entries.map((e) => String(e.position).length)) + 1;
  return entries.map((e) => `${style.dim(`${e.time}  ${`#${e.position}`.padEnd(width)}`)}  ${e.text}`).join('\n');
}

/**
 * The tree's totals: CPU time summed over the attempts' exit records and the
 * live attempt's latest sample, peak RSS the highest of them; null when
 * nothing was measured.
 */
export function usageText(res: Pick<ShowResponse, 'run' | 'usage'>): string | null {
  const ended = res.run.attempts.flatMap((a) => (a.usage && a.n !== res.usage?.attempt ? [a.usage] : []));
  if (ended.length === 0 && !res.usage) return null;
  const cpu = ended.reduce((sum, u) => sum + u.cpuSeconds, 0) + (res.usage?.cpuSeconds ?? 0);
  const peak = Math.max(0, ...ended.map((u) => u.peakRssBytes), res.usage?.peakRssBytes ?? 0);
  const parts = [`cpu ${cpu.toFixed(2)}s`, `peak rss ${formatBytes(peak)}`];
  if (res.usage) {
    const pct = res.usage.cpuPercent === null ? '' : `, ${res.usage.cpuPercent.toFixed(1)}% cpu`;
    parts.push(`now ${formatBytes(res.usage.rssBytes)} rss${pct}, ${res.usage.processes} process${res.usage.processes === 1 ? '' : 'es'}`);
  }
  return parts.join(', ');
}

function pairs(o: Record<string, string>): string {
  return Object.entries(o)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
