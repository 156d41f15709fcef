/**
 * Env files (`--env-file PATH`): where a user keeps a run's secrets. Only the
 * path is recorded; the file is read at every spawn, so runledger never
 * writes a secret value anywhere and a rotated secret reaches the next attempt.
 *
 * Format (README, "Env files"): one `NAME=value` per line; blank lines and
 * lines starting with `#` are skipped; an optional `export ` prefix; a value
 * wrapped in double quotes may use `\n`, `\"` and `\\`, one in single quotes
 * is taken literally; an unquoted value is trimmed. No interpolation.
 */
import { readFile } from 'node:fs/promises';
import { RunledgerError } from '../errors.js';

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;

/** The variables of an env file's text. Errors name the line, never its content (it may hold a secret). */
export function parseEnvFile(text: string, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) throw invalid(path, i + 1, 'expected NAME=value');
    out[m[1]!] = unquote(m[2]!.trim(), path, i + 1);
  });
  return out;
}

function unquote(value: string, path: string, line: number): string {
  const q = value[0];
  if (q !== '"' && q !== "'") return value;
  if (value.length < 2 || value[value.length - 1] !== q) throw invalid(path, line, `unterminated ${q === '"' ? 'double' : 'single'} quote`);
  const inner = value.slice(1, -1);
  if (q === "'") return inner;
  return inner.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function invalid(path: string, line: number, what: string): RunledgerError {
  return new RunledgerError('ENV_FILE_INVALID', `env file ${path}, line ${line}: ${what}`, { path, line });
}

/** Read and parse the env file; ENV_FILE_UNREADABLE names the path and the system's reason. */
export async function readEnvFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : code;
    throw new RunledgerError('ENV_FILE_UNREADABLE', `cannot read env file ${path}: ${why}`, { path, errno: code });
  }
  return parseEnvFile(text, path);
}
