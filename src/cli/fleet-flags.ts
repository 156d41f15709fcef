/**
 * `--all-hosts`, `--host NAME`, `--fleet-url URL` on the read commands: they
 * point the context at the fleet ledger (URL from the flag or
 * RUNLEDGER_FLEET_URL). Kept free of imports beyond commander so `ps`
 * start-up stays light; the fleet code loads only when asked for.
 */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { RunledgerError } from '../errors.js';

export function addFleetReadOptions(cmd: Command): Command {
  return cmd
    .option('--all-hosts', 'read the fleet ledger: every host in the fleet')
    .option('--host <name>', 'read the fleet ledger, only this host')
    .option('--fleet-url <url>', 'the fleet database (default $RUNLEDGER_FLEET_URL)');
}

/** Points `ctx` at the fleet when the flags ask for it. */
export function selectFleet(ctx: CliContext, o: Record<string, unknown>): void {
  if (o.allHosts !== true && o.host === undefined) return;
  const url = (o.fleetUrl as string | undefined) ?? ctx.env.RUNLEDGER_FLEET_URL;
  if (!url) throw new RunledgerError('USAGE', 'reading the fleet needs its database: --fleet-url URL or RUNLEDGER_FLEET_URL');
  ctx.fleet = { url, ...(typeof o.host === 'string' ? { host: o.host } : {}) };
}

/** `--host NAME` on run/stop/restart/interrupt: send the command to that host's daemon through the fleet. */
export function addRemoteOptions(cmd: Command): Command {
  return cmd
    .option('--host <name>', 'do it on this host of the fleet: a request its daemon answers (HOST_UNAVAILABLE when it is down)')
    .option('--fleet-url <url>', 'the fleet database (default $RUNLEDGER_FLEET_URL)')
    .option('--request-timeout <duration>', 'how long to wait for the other host to answer (default 15s)', checkDuration);
}

function checkDuration(value: string): string {
  if (!/^\d+(\.\d+)?(ms|s|m|h)?$/.test(value))
    throw new RunledgerError('USAGE', `--request-timeout: not a duration: ${JSON.stringify(value)}`);
  return value;
}
