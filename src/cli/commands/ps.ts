/** `runledger ps`: runs as a table (active ones unless --all / --status), from the daemon or the ledger. */
import type { ListQuery, ListResponse } from '../../daemon/api.js';
import { TERMINAL_STATUSES } from '../../events/constants.js';
import { openReadBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { renderRunTable } from '../render/runs.js';
import { warned } from '../warnings.js';

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

export async function psCommand(ctx: CliContext, query: ListQuery): Promise<CommandResult<ListResponse>> {
  const backend = await openReadBackend(ctx);
  try {
    const value = warned(ctx, backend, await backend.list(query));
    const empty = query.all || query.status ? 'no runs' : 'no active runs (--all shows finished ones)';
    // Without a daemon nobody watches the processes: say that these states are as last recorded.
    const stale = value.source === 'ledger' && value.runs.some((r) => !TERMINAL.has(r.status));
    const note = stale ? `\n${'no daemon is running: active runs are shown as last recorded; `runledger reconcile` checks them now'}` : '';
    // CPU% and RSS come from the daemon's sampler: only a daemon's answer has the columns.
    const usage = value.source === 'daemon' ? (value.usage ?? {}) : undefined;
    return { value, human: (style) => renderRunTable(value.runs, style, ctx.now(), empty, usage) + (note ? style.dim(note) : '') };
  } finally {
    await backend.close();
  }
}
