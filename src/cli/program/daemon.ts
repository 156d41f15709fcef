/** `runledger daemon start|stop|status`. */
import type { Command } from 'commander';
import { addGlobalOptions } from '../options.js';
import type { Action, Define } from './define.js';

export function registerDaemonCommands(define: Define, program: Command): void {
  const daemon = addGlobalOptions(program.command('daemon').description('start, stop or inspect the daemon'));
  const sub = (spec: string, description: string, act: Action) => define(spec, description, act, daemon);
  sub('start', 'start the daemon (detached unless --foreground)', async (ctx, _a, o) =>
    (await import('../commands/daemon.js')).daemonStartCommand(ctx, o),
  )
    .option('--foreground', 'run in this terminal')
    .option('--fleet-url <url>', 'join a fleet: replicate to this PostgreSQL database (default $RUNLEDGER_FLEET_URL)')
    .option('--host-name <name>', "this host's name in the fleet (default $RUNLEDGER_HOST_NAME, else the hostname)");
  sub('stop', 'stop the daemon (runs keep running unless --stop-runs)', async (ctx, _a, o) =>
    (await import('../commands/daemon.js')).daemonStopCommand(ctx, o),
  ).option('--stop-runs', 'stop every run first');
  sub('status', 'is the daemon running, where, since when', async (ctx) =>
    (await import('../commands/daemon.js')).daemonStatusCommand(ctx),
  );
  sub('install', 'start the daemon at boot: write and enable a systemd unit (user unit unless --system)', async (ctx, _a, o) =>
    (await import('../commands/daemon-boot.js')).daemonInstallCommand(ctx, o),
  )
    .option('--user', 'a user unit, started at your login (the default; see loginctl enable-linger)')
    .option('--system', 'a system unit in /etc/systemd/system (needs root)')
    .option('--print', 'only print the unit');
  sub('uninstall', 'disable and remove the unit (the runs keep running)', async (ctx, _a, o) =>
    (await import('../commands/daemon-boot.js')).daemonUninstallCommand(ctx, o),
  )
    .option('--user', 'the user unit (the default)')
    .option('--system', 'the system unit');
}
