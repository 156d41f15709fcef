/** `runledger salvage`: the damaged ledger moves aside (kept), a new one holds its verified prefix plus LedgerSalvaged. */
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { requireNoDaemon } from './offline.js';

export async function salvageCommand(ctx: CliContext): Promise<CommandResult> {
  const paths = await requireNoDaemon(ctx, 'salvage');
  const { salvageLedger } = await import('../../recovery/salvage.js');
  const r = await salvageLedger({ home: paths.home, ledgerDir: paths.ledger, env: ctx.env, now: ctx.now });
  return {
    value: r,
    human: (style) =>
      [
        `${style.green('salvaged')}: kept ${r.kept} events; ${r.leftBehind} left behind from position ${r.stoppedAt} (${r.reason})`,
        `damaged ledger kept at ${r.movedTo}`,
        ...(r.checkpointsMovedTo ? [`its checkpoints kept at ${r.checkpointsMovedTo}`] : []),
        `new head at ${r.head.position} (anchor ${r.head.position}:${r.head.hash})`,
      ].join('\n'),
  };
}
