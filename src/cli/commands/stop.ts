/** `runledger stop ID... | --all | --label k=v`: waits for the stops to finish and lists what stopped. */
import { openBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { usageError } from '../failure.js';
import { renderRunLines } from '../render/reports.js';
import type { RunView } from '../../projections/run-view.js';
import type { RemoteFlags } from './remote.js';

export interface StopFlags {
  all?: boolean;
  label?: Record<string, string>;
  force?: boolean;
  grace?: string;
  host?: string;
  allHosts?: boolean;
  fleetUrl?: string;
  requestTimeout?: string;
}

export async function stopCommand(ctx: CliContext, typed: string[], flags: StopFlags): Promise<CommandResult> {
  const selectors = (typed.length > 0 ? 1 : 0) + (flags.all ? 1 : 0) + (flags.label ? 1 : 0);
  if (selectors !== 1) throw usageError('stop needs exactly one of: run ids, --all, --label k=v');
  let ids = typed;
  if (flags.host !== undefined || flags.allHosts) {
    if (typed.length === 0 || (flags.host === undefined && typed.length !== 1))
      throw usageError('stop --host NAME takes run ids, stop --all-hosts one run id (not --all or --label)');
    const { sendRemote, targetOf } = await import('./remote.js');
    const target = await targetOf(ctx, flags, typed[0]!);
    // --all-hosts names one run, which the fleet resolved; --host sends the ids as typed (the target resolves them).
    if (flags.host === undefined) ids = [target.id];
    if (target.host !== undefined) {
      const payload = {
        ids,
        wait: true,
        ...(flags.force ? { force: true } : {}),
        ...(flags.grace !== undefined ? { grace: flags.grace } : {}),
      };
      const host = target.host;
      const { runs } = await sendRemote<{ runs: RunView[] }>(ctx, { ...flags, host }, 'stop', payload);
      return { value: { runs, host }, human: (style) => renderRunLines(runs, style, 'no active runs matched') };
    }
  }
  const backend = await openBackend(ctx);
  try {
    const base = { wait: true, ...(flags.force ? { force: true } : {}), ...(flags.grace !== undefined ? { grace: flags.grace } : {}) };
    // One id: the per-run route (RUN_NOT_FOUND/AMBIGUOUS_ID for that id); several: resolved first so a typo stops nothing.
    const runs =
      ids.length === 1
        ? [await backend.stop(ids[0]!, base)]
        : ids.length > 1
          ? await backend.bulkStop({ ...base, ids })
          : await backend.bulkStop({ ...base, ...(flags.all ? { all: true } : {}), ...(flags.label ? { label: flags.label } : {}) });
    return { value: { runs }, human: (style) => renderRunLines(runs, style, 'no active runs matched') };
  } finally {
    await backend.close();
  }
}
