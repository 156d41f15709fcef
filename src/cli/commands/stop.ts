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

export async function stopCommand(ctx: CliContext, ids: string[], flags: StopFlags): Promise<CommandResult> {
  const selectors = (ids.length > 0 ? 1 : 0) + (flags.all ? 1 : 0) + (flags.label ? 1 : 0);
  if (selectors !== 1) throw usageError('stop needs exactly one of: run ids, --all, --label k=v');
  if (flags.host !== undefined || flags.allHosts) {
    if (ids.length === 0 || (flags.host === undefined && ids.length !== 1))
      throw usageError('stop --host NAME takes run ids, stop --all-hosts one run id (not --all or --label)');
    const { sendRemote, targetHostOf } = await import('./remote.js');
    const host = await targetHostOf(ctx, flags, ids[0]!);
    if (host !== undefined) {
      const payload = {
        ids,
        wait: true,
        ...(flags.force ? { force: true } : {}),
        ...(flags.grace !== undefined ? { grace: flags.grace } : {}),
      };
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
