/** `runledger restart ID` (same run, next attempt) and `runledger rerun ID` (a new run with the same spec). */
import { resolve } from 'node:path';
import { openBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { renderRunLines } from '../render/reports.js';
import { baseEnvOf } from '../run-spec.js';
import type { RunView } from '../../projections/run-view.js';
import type { RemoteFlags } from './remote.js';

export async function restartCommand(ctx: CliContext, id: string, flags: RemoteFlags = {}): Promise<CommandResult> {
  if (flags.host !== undefined || flags.allHosts) {
    const { sendRemote, targetHostOf } = await import('./remote.js');
    const host = await targetHostOf(ctx, flags, id);
    if (host !== undefined) {
      const { run } = await sendRemote<{ run: RunView }>(ctx, { ...flags, host }, 'restart', { id });
      return { value: { run, host }, human: (style) => renderRunLines([run], style) };
    }
  }
  const backend = await openBackend(ctx);
  try {
    const run = await backend.restart(id);
    return { value: { run }, human: (style) => renderRunLines([run], style) };
  } finally {
    await backend.close();
  }
}

export interface RerunFlags {
  env?: Record<string, string>;
  envFile?: string;
}

export async function rerunCommand(ctx: CliContext, id: string, flags: RerunFlags = {}): Promise<CommandResult> {
  const backend = await openBackend(ctx);
  try {
    const request = {
      baseEnv: baseEnvOf(ctx.env),
      ...(flags.env ? { env: flags.env } : {}),
      // Resolved here: the daemon reads it at every spawn, from wherever it runs.
      ...(flags.envFile !== undefined ? { envFile: resolve(ctx.cwd, flags.envFile) } : {}),
    };
    const value = await backend.rerun(id, request);
    return { value, human: () => value.run.shortId };
  } finally {
    await backend.close();
  }
}
