/** `runledger daemon install [--user|--system] [--print]` and `daemon uninstall`: start the daemon at boot. */
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { RunledgerError } from '../../errors.js';
import { systemctl, systemdBooted, unitDir } from '../boot/systemd.js';
import { crontabLine, renderUnit, unitName, type BootScope, type UnitInput } from '../boot/unit.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { loadHome, loadLifecycle } from '../daemon-link.js';
import { usageError } from '../failure.js';

export interface BootFlags {
  user?: boolean;
  system?: boolean;
  print?: boolean;
}

export async function daemonInstallCommand(ctx: CliContext, flags: BootFlags): Promise<CommandResult> {
  const { scope, input, name } = await describe(ctx, flags);
  const unit = renderUnit(input);
  if (flags.print) return { value: { name, scope, unit }, human: () => unit.trimEnd() };
  requireSystemd(ctx, input);
  const dir = unitDir(scope, ctx.env);
  const path = join(dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${path}.tmp`, unit, { mode: 0o644 });
  renameSync(`${path}.tmp`, path);
  await systemctl(scope, ['daemon-reload'], ctx.env);
  // A daemon started by hand would make the unit's daemon fail with DAEMON_RUNNING: hand over to systemd.
  // Its runs keep running (a daemon stop leaves them) and the unit's daemon adopts them.
  const handedOver = await (await loadLifecycle()).stopDaemon(input.home, {});
  await systemctl(scope, ['enable', '--now', name], ctx.env);
  const linger = scope === 'user' ? `loginctl enable-linger ${userInfo().username}` : undefined;
  const value = { name, scope, path, enabled: true, handedOver: handedOver.wasRunning, ...(linger ? { linger } : {}) };
  return {
    value,
    human: (style) =>
      [
        `installed ${name} at ${path}; enabled and started`,
        ...(handedOver.wasRunning ? [`the daemon started by hand (pid ${handedOver.pid}) handed its runs over to the unit`] : []),
        ...(linger ? [style.dim(`a user unit starts at your login; to start it at boot without one: ${linger}`)] : []),
      ].join('\n'),
  };
}

export async function daemonUninstallCommand(ctx: CliContext, flags: BootFlags): Promise<CommandResult> {
  const { scope, input, name } = await describe(ctx, flags);
  requireSystemd(ctx, input);
  const path = join(unitDir(scope, ctx.env), name);
  if (!existsSync(path)) {
    const value = { name, scope, path, removed: false };
    return { value, human: (style) => style.dim(`no ${name} is installed (${path})`) };
  }
  // disable --now stops the daemon alone (KillMode=process): the runs keep running for the next daemon.
  await systemctl(scope, ['disable', '--now', name], ctx.env);
  rmSync(path, { force: true });
  await systemctl(scope, ['daemon-reload'], ctx.env);
  const value = { name, scope, path, removed: true };
  return { value, human: () => `removed ${name}; the daemon stopped, its runs keep running (runledger daemon start adopts them)` };
}

async function describe(ctx: CliContext, flags: BootFlags): Promise<{ scope: BootScope; input: UnitInput; name: string }> {
  if (flags.system && flags.user) throw usageError('--user and --system: choose one (a user unit is the default)');
  const scope: BootScope = flags.system ? 'system' : 'user';
  const home = await ctx.home();
  const { resolveHome } = await loadHome();
  const { RUNLEDGER_HOME: _ignored, ...withoutOverride } = ctx.env;
  const defaultHome = resolveHome({ env: withoutOverride }) === home;
  const user = userInfo().username;
  const input: UnitInput = {
    scope,
    node: process.execPath,
    // The script this command runs from (through npm's symlink, if any): what boot must run again.
    bin: realpathSync(process.argv[1] ?? 'runledger'),
    home,
    defaultHome,
    ...(scope === 'system' && user !== 'root' ? { user } : {}),
  };
  return { scope, input, name: unitName(home, defaultHome) };
}

function requireSystemd(ctx: CliContext, input: UnitInput): void {
  if (systemdBooted(ctx.env)) return;
  const line = crontabLine(input);
  throw new RunledgerError(
    'BOOT_UNAVAILABLE',
    `systemd is not running on this machine, so there is no unit to install; to start the daemon at boot, add this line with \`crontab -e\`:\n  ${line}`,
    { crontab: line },
  );
}
