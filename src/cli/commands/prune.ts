/**
 * `runledger prune --older-than D [--dry-run]`: delete the log files of runs
 * that ended more than D ago (through the daemon, which records LogsPruned);
 * prints what went, or with --dry-run what would.
 */
import { API_PREFIX, type PruneReport } from '../../daemon/api.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { loadLifecycle } from '../daemon-link.js';

export interface PruneFlags {
  olderThan: string;
  dryRun?: boolean;
}

export async function pruneCommand(ctx: CliContext, flags: PruneFlags): Promise<CommandResult<PruneReport>> {
  const client = await (await loadLifecycle()).ensureDaemon(await ctx.home());
  try {
    const report = await client.request<PruneReport>('POST', `${API_PREFIX}/prune`, {
      olderThan: flags.olderThan,
      dryRun: flags.dryRun === true,
    });
    return { value: report, human: () => renderPrune(report) };
  } finally {
    client.close();
  }
}

export function renderPrune(r: PruneReport): string {
  const verb = r.dryRun ? 'would delete' : 'deleted';
  const head = `${verb} the logs of ${r.runs.length} run(s) that ended before ${r.cutoff} (older than ${r.olderThan}): ${r.attempts} attempt(s), ${formatBytes(r.bytes)}`;
  const rows = r.runs.map((run) => `  ${run.shortId}  ${run.attempts} attempt(s)  ${formatBytes(run.bytes)}`);
  const tail = r.position !== null ? [`recorded as LogsPruned, event #${r.position}`] : [];
  return [head, ...rows, ...tail].join('\n');
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
