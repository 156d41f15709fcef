/** `runledger reconcile`: check every live attempt against the machine now; prints the report. */
import { openBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { renderReconcile } from '../render/reports.js';

export async function reconcileCommand(ctx: CliContext): Promise<CommandResult> {
  const backend = await openBackend(ctx);
  try {
    const value = await backend.reconcile();
    return { value, human: () => renderReconcile({ ...value }) };
  } finally {
    await backend.close();
  }
}
