/**
 * The few facts and actions `daemon install` needs from systemd. Paths and the
 * systemctl binary can be moved by environment (packagers, and the tests, which
 * cannot boot systemd in a container): RUNLEDGER_SYSTEMD_RUNTIME_DIR,
 * RUNLEDGER_SYSTEMD_UNIT_DIR, RUNLEDGER_SYSTEMCTL.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RunledgerError } from '../../errors.js';
import type { BootScope } from './unit.js';

/** sd_booted(3): systemd is the init system when this directory exists. */
export function systemdBooted(env: NodeJS.ProcessEnv): boolean {
  return existsSync(env.RUNLEDGER_SYSTEMD_RUNTIME_DIR ?? '/run/systemd/system');
}

export function unitDir(scope: BootScope, env: NodeJS.ProcessEnv): string {
  if (env.RUNLEDGER_SYSTEMD_UNIT_DIR) return env.RUNLEDGER_SYSTEMD_UNIT_DIR;
  if (scope === 'system') return '/etc/systemd/system';
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'systemd', 'user');
}

/** Run `systemctl [--user] ARGS…` (no shell); a failure is BOOT_FAILED with what systemctl said. */
export function systemctl(scope: BootScope, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const bin = env.RUNLEDGER_SYSTEMCTL ?? 'systemctl';
  const argv = [...(scope === 'user' ? ['--user'] : []), ...args];
  return new Promise((resolve, reject) => {
    execFile(bin, argv, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const said = (stderr || stdout || err.message).trim();
      reject(new RunledgerError('BOOT_FAILED', `systemctl ${argv.join(' ')} failed: ${said}`, { argv, output: said }));
    });
  });
}
