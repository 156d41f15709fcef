/** `runledger replay --at POS|TIME [ps filters]`: the runs as they stood then, folded from the ledger. */
import type { ListQuery, ReplayResponse } from '../../daemon/api.js';
import { openReadBackend, type ReplayAt } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import type { RunView } from '../../projections/run-view.js';
import { renderRunTable } from '../render/runs.js';
import { warned } from '../warnings.js';

/** An active run's durationMs was measured up to the moment: its start plus that duration is the moment. */
function momentOfRuns(runs: readonly RunView[]): number {
  for (const r of runs)
    if (r.endedAt === null && r.startedAt !== null && r.durationMs !== null) return Date.parse(r.startedAt) + r.durationMs;
  return 0;
}

export async function replayCommand(ctx: CliContext, at: ReplayAt, query: ListQuery): Promise<CommandResult<ReplayResponse>> {
  const backend = await openReadBackend(ctx);
  try {
    const value = warned(ctx, backend, await backend.replay(at, query));
    // Uptimes as of the replayed moment, not now: the runs' durations were measured up to it (0 if unknown).
    const then = 'time' in at ? Date.parse(at.time) : momentOfRuns(value.runs);
    return {
      value,
      human: (style) => `${style.dim(`as of position ${value.position} (--at ${value.at})`)}\n${renderRunTable(value.runs, style, then)}`,
    };
  } finally {
    await backend.close();
  }
}
