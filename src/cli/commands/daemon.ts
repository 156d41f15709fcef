/** `runledger daemon start | stop | status`. */
import type { DaemonStatus } from '../../daemon/api.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { loadLifecycle } from '../daemon-link.js';
import { renderDaemonStatus } from '../render/reports.js';

export async function daemonStartCommand(
  ctx: CliContext,
  flags: { foreground?: boolean; fleetUrl?: string; hostName?: string },
): Promise<CommandResult> {
  const home = await ctx.home();
  const lifecycle = await loadLifecycle();
  const env = await fleetEnv(ctx.env, flags);
  await lifecycle.startDaemon(home, { foreground: flags.foreground === true, ...(env ? { env } : {}) });
  return statusResult(await lifecycle.daemonStatus(home));
}

export async function daemonStopCommand(ctx: CliContext, flags: { stopRuns?: boolean }): Promise<CommandResult> {
  const home = await ctx.home();
  const lifecycle = await loadLifecycle();
  const { wasRunning, pid } = await lifecycle.stopDaemon(home, { stopRuns: flags.stopRuns === true });
  const value = { stopped: wasRunning, pid, home };
  return { value, human: (style) => (wasRunning ? `stopped daemon (pid ${pid})` : style.dim('no daemon was running')) };
}

export async function daemonStatusCommand(ctx: CliContext): Promise<CommandResult> {
  return statusResult(await (await loadLifecycle()).daemonStatus(await ctx.home()));
}

/** The daemon's environment with the fleet flags in it (checked here, so a typo fails before a daemon starts). */
async function fleetEnv(base: NodeJS.ProcessEnv, flags: { fleetUrl?: string; hostName?: string }): Promise<NodeJS.ProcessEnv | undefined> {
  if (flags.fleetUrl === undefined && flags.hostName === undefined) return undefined;
  const { fleetConfigFromEnv, FLEET_URL_ENV, HOST_NAME_ENV } = await import('../../fleet/fleet-config.js');
  const env = { ...base };
  if (flags.fleetUrl !== undefined) env[FLEET_URL_ENV] = flags.fleetUrl;
  if (flags.hostName !== undefined) env[HOST_NAME_ENV] = flags.hostName;
  fleetConfigFromEnv(env);
  return env;
}

function statusResult(value: DaemonStatus): CommandResult<DaemonStatus> {
  return { value, human: (style) => renderDaemonStatus(value, style) };
}
