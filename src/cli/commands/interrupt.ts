/** `runledger interrupt --session S [--turn T] [--tool-call C] ...`: signal exactly the runs of that owner scope. */
import type { OwnerScope } from '../../events/schemas.js';
import { openBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { usageError } from '../failure.js';
import { renderInterrupt, type InterruptReportLike } from '../render/reports.js';
import type { RemoteFlags } from './remote.js';

export async function interruptCommand(ctx: CliContext, scope: OwnerScope, flags: RemoteFlags = {}): Promise<CommandResult> {
  const given = Object.fromEntries(Object.entries(scope).filter(([, v]) => v !== undefined && v !== '')) as OwnerScope;
  // Refused here too: an empty scope would match everything, so it never reaches the daemon.
  if (Object.keys(given).length === 0)
    throw usageError('interrupt needs a scope: --session, --turn, --tool-call, --terminal, --extension or --hook');
  if (flags.host !== undefined) {
    const value = await (await import('./remote.js')).sendRemote<InterruptReportLike>(ctx, flags, 'interrupt', { scope: given });
    return { value, human: (style) => renderInterrupt(value, style) };
  }
  const backend = await openBackend(ctx);
  try {
    const value = await backend.interrupt(given);
    return { value, human: (style) => renderInterrupt(value, style) };
  } finally {
    await backend.close();
  }
}
