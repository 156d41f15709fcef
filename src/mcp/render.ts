/** Short texts for the tools' answers: what a model reads when it ignores structuredContent. */
import type { RunView } from '../projections/run-view.js';
import type { WaitResult } from './wait.js';

export function runLine(r: RunView): string {
  const code = r.exitCode !== null ? ` exit ${r.exitCode}` : r.signal ? ` ${r.signal}` : '';
  const ready = r.ready ? ' ready' : '';
  const pid = r.attempts[r.attempts.length - 1]?.pid;
  return `${r.shortId} ${r.status}${ready}${code}${pid ? ` pid ${pid}` : ''} ${r.name}${r.reason ? ` (${r.reason})` : ''}`;
}

export function runLines(runs: readonly RunView[], empty: string): string {
  return runs.length === 0 ? empty : runs.map(runLine).join('\n');
}

export function waitText(w: WaitResult): string {
  // exit: "ended completed"; ready and healthy name themselves.
  const head = w.met
    ? `run ${w.run.shortId} is ${w.for === 'exit' ? `ended ${w.run.status}` : w.for}`
    : `run ${w.run.shortId}: not ${w.for === 'exit' ? 'ended' : w.for} (${w.why})`;
  const lines = [head, runLine(w.run)];
  if (w.readinessFailure && !w.met) {
    lines.push(`readiness failed (${w.readinessFailure.reason}): ${w.readinessFailure.message}`);
    if (w.readinessFailure.stderrTail.length > 0) lines.push('stderr tail:', ...w.readinessFailure.stderrTail);
  }
  if (w.note) lines.push(`(${w.note})`);
  return lines.join('\n');
}
