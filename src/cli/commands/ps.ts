/** `runledger ps`: runs as a table (active ones unless --all / --status), from the daemon or the ledger. */
import type { ListQuery, ListResponse } from '../../daemon/api.js';
import { openReadBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { renderRunTable } from '../render/runs.js';

export async function psCommand(ctx: CliContext, query: ListQuery): Promise<CommandResult<ListResponse>> {
  const backend = await openReadBackend(ctx);
  try {
    const value = await backend.list(query);
    const empty = query.all || query.status ? 'no runs' : 'no active runs (--all shows finished ones)';
    return { value, human: (style) => renderRunTable(value.runs, style, ctx.now(), empty) };
  } finally {
    await backend.close();
  }
}
