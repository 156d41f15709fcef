/**
 * `--on-disconnect stop|keep`: when the client goes away, stop every active
 * run this session started, or leave them to the daemon (the default). The
 * stop is requested, not awaited: the daemon owns the grace period and the
 * SIGKILL, and the client gives a closing server only seconds.
 */
import type { McpContext } from './context.js';

export async function applyDisconnectPolicy(ctx: McpContext, why: string): Promise<void> {
  const session = ctx.session.id();
  if (ctx.options.onDisconnect === 'keep') return void ctx.log(`runledger mcp: ${why}; session ${session}'s runs keep running`);
  const { runs } = await ctx.api.list({ owner: { session } });
  if (runs.length > 0) await ctx.api.bulkStop({ ids: runs.map((r) => r.id), wait: false });
  ctx.log(`runledger mcp: ${why}; stopping ${runs.length} run(s) of session ${session}`);
}
