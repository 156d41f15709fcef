/**
 * Commands that rebuild the ledger (import, salvage) need the home to
 * themselves: with a daemon running they refuse and say how to stop it,
 * rather than stop it behind the user's back (its runs would be orphaned).
 */
import { RunledgerError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { loadClient, loadHome, type DaemonPaths } from '../daemon-link.js';

export async function requireNoDaemon(ctx: CliContext, what: string): Promise<DaemonPaths> {
  const home = await ctx.home();
  const client = await (await loadClient()).connectDaemon(home);
  if (client) {
    client.close();
    throw new RunledgerError(
      'DAEMON_RUNNING',
      `a daemon owns the ledger in ${home}; stop it first with \`runledger daemon stop\`, then ${what}`,
      { home },
    );
  }
  return (await loadHome()).daemonPaths(home, ctx.env);
}
