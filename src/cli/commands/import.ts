/** `runledger import FILE`: a new ledger from a verified export (refused if the ledger holds events). */
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { requireNoDaemon } from './offline.js';

export async function importCommand(ctx: CliContext, file: string): Promise<CommandResult> {
  const paths = await requireNoDaemon(ctx, 'import');
  const { importExport } = await import('../../recovery/import-export.js');
  const report = await importExport({ home: paths.home, ledgerDir: paths.ledger, file, env: ctx.env, now: ctx.now });
  const moved = report.checkpointsMovedTo ? `\nearlier checkpoints moved to ${report.checkpointsMovedTo}` : '';
  return {
    value: report,
    human: (style) =>
      `${style.green('imported')} ${report.imported} events, head at ${report.head.position} (anchor ${report.head.position}:${report.head.hash})${moved}`,
  };
}
