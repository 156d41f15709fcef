/** `runledger fleet verify|hosts`: the shared PostgreSQL ledger itself. */
import type { Command } from 'commander';
import { addGlobalOptions } from '../options.js';
import type { Action, Define } from './define.js';

export function registerFleetCommands(define: Define, program: Command): void {
  const fleet = addGlobalOptions(program.command('fleet').description('the fleet ledger (PostgreSQL): verify it, list its hosts'));
  const sub = (spec: string, description: string, act: Action) =>
    define(spec, description, act, fleet).option('--fleet-url <url>', 'the fleet database (default $RUNLEDGER_FLEET_URL)');
  sub('verify', "check the fleet's hash chain and every host's own chain in it (exit 1 when broken)", async (ctx, _a, o) =>
    (await import('../commands/fleet.js')).fleetVerifyCommand(ctx, o),
  );
  sub('hosts', 'the hosts, their last heartbeat and replication lag', async (ctx, _a, o) =>
    (await import('../commands/fleet.js')).fleetHostsCommand(ctx, o),
  );
}
