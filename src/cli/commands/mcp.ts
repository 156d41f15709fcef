/** `runledger mcp [--session S] [--on-disconnect stop|keep] [--allow-cwd DIR]... [--no-shell] [--read-only] [--progress-every D]`. */
import { STREAMED, type CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import type { McpFlags } from '../../mcp/options.js';

export async function mcpCommand(ctx: CliContext, flags: McpFlags): Promise<CommandResult> {
  const [{ normalizeMcpOptions }, { serveMcp }, { packageVersion }] = await Promise.all([
    import('../../mcp/options.js'),
    import('../../mcp/server.js'),
    import('../../daemon/version.js'),
  ]);
  // A bad flag is a USAGE error (exit 2) before anything is served.
  await serveMcp(normalizeMcpOptions(await ctx.home(), flags, ctx.cwd), packageVersion());
  return STREAMED;
}
