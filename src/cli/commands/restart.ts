/** `runledger restart ID` (same run, next attempt) and `runledger rerun ID` (a new run with the same spec). */
import { resolve } from 'node:path';
import { openBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { TERMINAL_STATUSES } from '../../events/constants.js';
import type { RunView } from '../../projections/run-view.js';
import type { Backend } from '../backend.js';
import { renderRunTable } from '../render/runs.js';
import { baseEnvOf } from '../run-spec.js';
import type { RemoteFlags } from './remote.js';

/**
 * The answer to a restart is the run once its next attempt is up (or the run
 * ended), as a `ps` row: right after the request it is only `stopping`, with
 * the exit of the attempt being replaced, which read as a broken row.
 */
export async function restartCommand(ctx: CliContext, typed: string, flags: RemoteFlags = {}): Promise<CommandResult> {
  let id = typed;
  if (flags.host !== undefined || flags.allHosts) {
    const { sendRemote, targetOf } = await import('./remote.js');
    const target = await targetOf(ctx, flags, typed);
    id = target.id;
    if (target.host !== undefined) {
      const host = target.host;
      const { run } = await sendRemote<{ run: RunView }>(ctx, { ...flags, host }, 'restart', { id });
      return { value: { run, host }, human: (style) => renderRunTable([run], style, ctx.now()) };
    }
  }
  const backend = await openBackend(ctx);
  try {
    const asked = await backend.restart(id);
    const run = await nextAttemptOf(backend, asked);
    return { value: { run }, human: (style) => renderRunTable([run], style, ctx.now()) };
  } finally {
    await backend.close();
  }
}

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

/** Poll until a later attempt than the stopped one exists (or the run ended); bounded by the stop's grace. */
async function nextAttemptOf(backend: Backend, asked: RunView): Promise<RunView> {
  const before = asked.attempts.length;
  const deadline = Date.now() + (asked.status === 'stopping' ? 60_000 : 0);
  let run = asked;
  for (let delay = 25; ; delay = Math.min(500, delay * 2)) {
    const spawned = run.attempts.length > before && run.status !== 'restarting';
    if (spawned || TERMINAL.has(run.status) || Date.now() > deadline) return run;
    await new Promise((r) => setTimeout(r, delay));
    run = (await backend.show(asked.id)).run;
  }
}

export interface RerunFlags {
  env?: Record<string, string>;
  envFile?: string;
  cwd?: string;
  timeout?: string;
  name?: string;
  label?: Record<string, string>;
}

export async function rerunCommand(ctx: CliContext, id: string, flags: RerunFlags = {}): Promise<CommandResult> {
  const backend = await openBackend(ctx);
  try {
    const request = {
      baseEnv: baseEnvOf(ctx.env),
      ...(flags.env ? { env: flags.env } : {}),
      // Resolved here: the daemon reads it at every spawn, from wherever it runs.
      ...(flags.envFile !== undefined ? { envFile: resolve(ctx.cwd, flags.envFile) } : {}),
      ...(flags.cwd !== undefined ? { cwd: resolve(ctx.cwd, flags.cwd) } : {}),
      ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
      ...(flags.name !== undefined ? { name: flags.name } : {}),
      ...(flags.label !== undefined ? { labels: flags.label } : {}),
    };
    const value = await backend.rerun(id, request);
    return { value, human: () => value.run.shortId };
  } finally {
    await backend.close();
  }
}
