/** `runledger restart ID` (same run, next attempt) and `runledger rerun ID` (a new run with the same spec). */
import { openBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { renderRunLines } from '../render/reports.js';
import { baseEnvOf } from '../run-spec.js';

export async function restartCommand(ctx: CliContext, id: string): Promise<CommandResult> {
  const backend = await openBackend(ctx);
  try {
    const run = await backend.restart(id);
    return { value: { run }, human: (style) => renderRunLines([run], style) };
  } finally {
    await backend.close();
  }
}

export async function rerunCommand(ctx: CliContext, id: string): Promise<CommandResult> {
  const backend = await openBackend(ctx);
  try {
    const value = await backend.rerun(id, baseEnvOf(ctx.env));
    return { value, human: () => value.run.shortId };
  } finally {
    await backend.close();
  }
}
