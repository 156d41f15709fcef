/**
 * The systemd unit that starts a home's daemon at boot (pure: text in, text out).
 *
 * `KillMode=process` is the point: when systemd stops or restarts the daemon it
 * signals the daemon alone, the children keep running, and the next daemon
 * adopts them through reconcile (the ledger remembers them). `Restart=on-failure`
 * brings a crashed daemon back; a clean `daemon stop` stays stopped.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';

export type BootScope = 'user' | 'system';

export interface UnitInput {
  scope: BootScope;
  /** Absolute paths: the node binary and runledger's bin script. */
  node: string;
  bin: string;
  /** The state directory this daemon owns. */
  home: string;
  /** Whether `home` is the default one (gives the plain unit name). */
  defaultHome: boolean;
  /** For a system unit: the account the daemon runs as (unset: root). */
  user?: string;
}

/** `runledger.service` for the default home; another home gets its own name so two can coexist. */
export function unitName(home: string, defaultHome: boolean): string {
  if (defaultHome) return 'runledger.service';
  const slug =
    basename(home)
      .replace(/[^A-Za-z0-9_.-]/g, '-')
      .slice(0, 32) || 'home';
  return `runledger-${slug}-${createHash('sha256').update(home).digest('hex').slice(0, 6)}.service`;
}

export function renderUnit(input: UnitInput): string {
  const exec = [input.node, input.bin, 'daemon', 'start', '--foreground', '--home', input.home].map(quoteArg).join(' ');
  const lines = [
    '[Unit]',
    `Description=runledger daemon for ${escapeSpecifiers(input.home)}`,
    'After=network.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec}`,
    ...(input.scope === 'system' && input.user ? [`User=${input.user}`] : []),
    'Restart=on-failure',
    'RestartSec=2',
    '# Stop or restart the daemon alone: its children outlive it and the next daemon adopts them.',
    'KillMode=process',
    'UMask=0077',
    '',
    '[Install]',
    `WantedBy=${input.scope === 'user' ? 'default.target' : 'multi-user.target'}`,
    '',
  ];
  return lines.join('\n');
}

/** The line for `crontab -e` where there is no systemd. */
export function crontabLine(input: Pick<UnitInput, 'node' | 'bin' | 'home'>): string {
  return `@reboot ${[input.node, input.bin, 'daemon', 'start', '--home', input.home].map(shellQuote).join(' ')}`;
}

/** systemd's ExecStart quoting: double quotes, backslash escapes, and `%` doubled (it starts a specifier). */
function quoteArg(arg: string): string {
  const escaped = escapeSpecifiers(arg);
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? escaped : `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function escapeSpecifiers(text: string): string {
  return text.replace(/%/g, '%%');
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
