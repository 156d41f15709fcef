/**
 * `runledger mcp`'s flags, normalized once at the door: allowed directories
 * resolved to their real paths (so a later check compares real paths with
 * real paths), the disconnect policy checked.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { RunledgerError } from '../errors.js';

export type DisconnectPolicy = 'stop' | 'keep';

export interface McpFlags {
  /** The session every run started here carries as `owner.session`; default: the client's name + a new id. */
  session?: string;
  onDisconnect?: string;
  allowCwd?: string[];
  /** Commander's `--no-shell` sets `shell: false`. */
  shell?: boolean;
  readOnly?: boolean;
}

export interface McpOptions {
  home: string;
  session: string | undefined;
  onDisconnect: DisconnectPolicy;
  /** Real paths; empty means "anywhere". */
  allowCwd: string[];
  noShell: boolean;
  readOnly: boolean;
  /** Where runs start when the call names no cwd: the first allowed directory, else the server's cwd. */
  defaultCwd: string;
}

export function normalizeMcpOptions(home: string, flags: McpFlags, cwd: string): McpOptions {
  const onDisconnect = flags.onDisconnect ?? 'keep';
  if (onDisconnect !== 'stop' && onDisconnect !== 'keep')
    throw new RunledgerError('USAGE', `--on-disconnect must be stop or keep, got ${JSON.stringify(onDisconnect)}`);
  if (flags.session !== undefined && flags.session.trim() === '') throw new RunledgerError('USAGE', '--session must not be empty');
  const allowCwd = (flags.allowCwd ?? []).map((dir) => {
    try {
      return realpathSync(resolve(cwd, dir));
    } catch (err) {
      throw new RunledgerError('USAGE', `--allow-cwd ${dir}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`, { dir });
    }
  });
  return {
    home,
    session: flags.session,
    onDisconnect,
    allowCwd,
    noShell: flags.shell === false,
    readOnly: flags.readOnly === true,
    defaultCwd: allowCwd[0] ?? cwd,
  };
}
