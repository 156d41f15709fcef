/**
 * What `--allow-cwd` and `--no-shell` refuse. A refusal is a RunledgerError
 * with a stable code, which the tool layer turns into a tool error.
 */
import { realpathSync } from 'node:fs';
import { basename, isAbsolute, resolve, sep } from 'node:path';
import { RunledgerError } from '../errors.js';

/** Interpreters that run a command line given to them: `--no-shell` refuses them as the command too, not only `shell: true`. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'fish', 'csh', 'tcsh', 'ash', 'busybox']);

/**
 * The real path of `cwd` (relative to `base`), refused with CWD_NOT_ALLOWED
 * unless it is one of `allowed` or below one (no list: anywhere, path as given). Real paths on both sides, so
 * neither `..` nor a symlink leads out.
 */
export function checkCwd(cwd: string, base: string, allowed: readonly string[]): string {
  const wanted = isAbsolute(cwd) ? cwd : resolve(base, cwd);
  // Unrestricted: the daemon checks the directory (and says so in its own words).
  if (allowed.length === 0) return wanted;
  let real: string;
  try {
    real = realpathSync(wanted);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new RunledgerError('CWD_NOT_ALLOWED', `cwd ${wanted} cannot be used (${code})`, { cwd: wanted, reason: code });
  }
  if (allowed.some((dir) => real === dir || real.startsWith(dir.endsWith(sep) ? dir : dir + sep))) return real;
  throw new RunledgerError('CWD_NOT_ALLOWED', `cwd ${real} is outside the allowed directories (${allowed.join(', ')})`, {
    cwd: wanted,
    realPath: real,
    allowed,
  });
}

/** Refuse a shell when the server was started with `--no-shell`: `shell: true`, or a shell as the command. */
export function checkShell(spec: { command: string; shell?: boolean }): void {
  if (spec.shell) throw new RunledgerError('SHELL_NOT_ALLOWED', 'this server was started with --no-shell: shell commands are refused');
  const name = basename(spec.command);
  if (SHELLS.has(name))
    throw new RunledgerError('SHELL_NOT_ALLOWED', `this server was started with --no-shell: ${name} as the command is refused too`, {
      command: spec.command,
    });
}
