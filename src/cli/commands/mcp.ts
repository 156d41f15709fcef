/** `runledger mcp [--session S] [--on-disconnect stop|keep] [--allow-cwd DIR]... [--no-shell] [--read-only]`. */
import { STREAMED, type CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { asUsageError } from '../failure.js';
import type { McpFlags } from '../../mcp/options.js';

export async function mcpCommand(ctx: CliContext, flags: McpFlags): Promise<CommandResult> {
  const [{ normalizeMcpOptions }, { serveMcp }, { packageVersion }] = await Promise.all([
    import('../../mcp/options.js'),
    import('../../mcp/server.js'),
    import('../../daemon/version.js'),
  ]);
  let options;
  try {
    options = normalizeMcpOptions(await ctx.home(), flags, ctx.cwd);
  } catch (err) {
    throw asUsageError('mcp', err);
  }
  await serveMcp(options, packageVersion());
  return STREAMED;
}
