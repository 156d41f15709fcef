/**
 * `runledger reconcile`: check every live attempt against the machine now; prints the report.
 * With no daemon running, starting one runs its own reconcile pass, which does the work;
 * a second pass would find nothing, so the report shown is the start-up pass's.
 */
import type { ReconcileReport } from '../../reconcile/report.js';
import { connectIfRunning, openBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { loadLifecycle } from '../daemon-link.js';
import { renderReconcile } from '../render/reports.js';

export async function reconcileCommand(ctx: CliContext): Promise<CommandResult> {
  const home = await ctx.home();
  const running = await connectIfRunning(home, ctx);
  if (!running) {
    const client = await (await loadLifecycle()).ensureDaemon(home);
    client.close?.();
    const startup = client.status.startupReconcile;
    if (startup) {
      const value = { ...startup, pass: 'daemon-start' as const };
      return {
        value,
        human: () => `the daemon was not running; its start-up reconcile pass did the work:\n${renderReconcile(counts(startup))}`,
      };
    }
  }
  const backend = running ?? (await openBackend(ctx));
  try {
    const report = await backend.reconcile();
    return { value: { ...report, pass: 'on-demand' as const }, human: () => renderReconcile(counts(report)) };
  } finally {
    await backend.close();
  }
}

/** The report's counters (a newer daemon may add fields; only numbers are shown). */
function counts(r: ReconcileReport): Record<string, number> {
  return Object.fromEntries(Object.entries(r).filter((kv): kv is [string, number] => typeof kv[1] === 'number'));
}
