/** `runledger show ID`: the run, its attempts and its timeline. */
import type { ShowResponse } from '../../daemon/api.js';
import { openReadBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { renderShow } from '../render/show.js';
import { attachHintOf } from '../attach-hint.js';
import { warned } from '../warnings.js';

export async function showCommand(ctx: CliContext, id: string): Promise<CommandResult<ShowResponse>> {
  const backend = await openReadBackend(ctx);
  try {
    const shown = warned(ctx, backend, await backend.show(id));
    const attach = attachHintOf(shown.run, await ctx.home());
    const value = attach ? { ...shown, attach } : shown;
    return { value, human: (style) => renderShow(value, style, ctx.now()) };
  } finally {
    await backend.close();
  }
}
