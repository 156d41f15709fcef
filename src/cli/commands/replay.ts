/** `runledger replay --at POS|TIME [ps filters]`: the runs as they stood then, folded from the ledger. */
import type { ListQuery, ReplayResponse } from '../../daemon/api.js';
import { openReadBackend, type ReplayAt } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { renderRunTable } from '../render/runs.js';
import { warned } from '../warnings.js';

export async function replayCommand(ctx: CliContext, at: ReplayAt, query: ListQuery): Promise<CommandResult<ReplayResponse>> {
  const backend = await openReadBackend(ctx);
  try {
    const value = warned(ctx, backend, await backend.replay(at, query));
    const then = 'time' in at ? Date.parse(at.time) : ctx.now();
    return {
      value,
      human: (style) => `${style.dim(`as of position ${value.position} (--at ${value.at})`)}\n${renderRunTable(value.runs, style, then)}`,
    };
  } finally {
    await backend.close();
  }
}
