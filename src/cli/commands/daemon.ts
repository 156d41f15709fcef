/** `runledger daemon start | stop | status`. */
import type { DaemonStatus } from '../../daemon/api.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { loadLifecycle } from '../daemon-link.js';
import { renderDaemonStatus } from '../render/reports.js';

export async function daemonStartCommand(ctx: CliContext, flags: { foreground?: boolean }): Promise<CommandResult> {
  const home = await ctx.home();
  const lifecycle = await loadLifecycle();
  await lifecycle.startDaemon(home, { foreground: flags.foreground === true });
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

function statusResult(value: DaemonStatus): CommandResult<DaemonStatus> {
  return { value, human: (style) => renderDaemonStatus(value, style) };
}
