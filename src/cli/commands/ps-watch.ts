/**
 * `runledger ps --watch`: the ps table redrawn in place every interval on a
 * terminal, or one NDJSON `ps --json` snapshot per interval with --json.
 * Anything else (a pipe without --json) is refused: redrawing needs a
 * terminal, and a stream of tables would be neither readable nor parseable.
 * Runs until Ctrl-C. The backend is opened per frame: without a daemon a
 * held-open ledger would keep one from starting.
 */
import type { ListQuery } from '../../daemon/api.js';
import { openReadBackend } from '../backend.js';
import { STREAMED, type CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { usageError } from '../failure.js';
import { formatDuration } from '../../projections/describe.js';
import { renderRunTable } from '../render/runs.js';
import { styleFor } from '../render/style.js';

export async function psWatchCommand(ctx: CliContext, query: ListQuery, intervalMs: number): Promise<CommandResult> {
  if (!ctx.json && !ctx.out.isTTY)
    throw usageError('ps --watch redraws a terminal; when piping, add --json for one NDJSON snapshot per interval', { flag: '--watch' });
  const style = styleFor(ctx.out, ctx.env);
  const stopped = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  let drawn = 0;
  for (;;) {
    const backend = await openReadBackend(ctx);
    const value = await backend.list(query).finally(() => backend.close());
    if (ctx.json) ctx.out.write(`${JSON.stringify({ ...value, time: new Date(ctx.now()).toISOString() })}\n`);
    else drawn = redraw(ctx, drawn, frameOf(value.runs, style, ctx.now(), query, intervalMs));
    const tick = new Promise<'tick'>((resolve) => setTimeout(() => resolve('tick'), intervalMs));
    if ((await Promise.race([tick, stopped.then(() => 'stop' as const)])) === 'stop') return STREAMED;
  }
}

type Runs = Parameters<typeof renderRunTable>[0];

function frameOf(runs: Runs, style: ReturnType<typeof styleFor>, now: number, q: ListQuery, intervalMs: number): string {
  const empty = q.all || q.status ? 'no runs' : 'no active runs (--all shows finished ones)';
  const title = style.dim(`${new Date(now).toISOString()}  every ${formatDuration(intervalMs)}; Ctrl-C to stop`);
  return `${title}\n${renderRunTable(runs, style, now, empty)}`;
}

/** Move up over the last frame and clear from there: the table updates in place, the scrollback above stays. */
function redraw(ctx: CliContext, previousLines: number, frame: string): number {
  const up = previousLines > 0 ? `\x1b[${previousLines}F` : '';
  ctx.out.write(`${up}\x1b[J${frame}\n`);
  return frame.split('\n').length;
}
