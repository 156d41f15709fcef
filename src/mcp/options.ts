/**
 * `runledger mcp`'s flags, normalized once at the door: allowed directories
 * resolved to their real paths (so a later check compares real paths with
 * real paths), the disconnect policy checked.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { RunledgerError } from '../errors.js';
import { parseDuration } from '../supervisor/durations.js';

export type DisconnectPolicy = 'stop' | 'keep';

export interface McpFlags {
  /** The session every run started here carries as `owner.session`; default: the client's name + a new id. */
  session?: string;
  onDisconnect?: string;
  allowCwd?: string[];
  /** Commander's `--no-shell` sets `shell: false`. */
  shell?: boolean;
  readOnly?: boolean;
  /** A duration (bare number: seconds), checked by the CLI's parser. */
  progressEvery?: string;
}

/** Progress every 2 s keeps any client timeout of a few seconds alive and costs nothing worth counting. */
const PROGRESS_EVERY_DEFAULT_MS = 2000;
/** Not a busy loop: a smaller value would only flood the client. */
const PROGRESS_EVERY_MIN_MS = 50;

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
  /** How often a waiting tool sends progress to a client that asked for it (progress.ts). */
  progressEveryMs: number;
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
  const progressEveryMs =
    flags.progressEvery === undefined ? PROGRESS_EVERY_DEFAULT_MS : parseDuration(flags.progressEvery, '--progress-every');
  if (progressEveryMs < PROGRESS_EVERY_MIN_MS)
    throw new RunledgerError('USAGE', `--progress-every must be at least ${PROGRESS_EVERY_MIN_MS}ms, got ${flags.progressEvery}`);
  return {
    home,
    session: flags.session,
    onDisconnect,
    allowCwd,
    noShell: flags.shell === false,
    readOnly: flags.readOnly === true,
    defaultCwd: allowCwd[0] ?? cwd,
    progressEveryMs,
  };
}
