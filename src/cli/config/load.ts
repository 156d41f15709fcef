/**
 * Find, read and validate runledger.config.json: `--config FILE`, else the
 * first one found from the cwd upwards. Errors name the file, the JSON path
 * and what was expected (INVALID_CONFIG), or say which file is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { RunledgerError } from '../../errors.js';
import { ConfigSchema, type RunledgerConfig } from './schema.js';

export const CONFIG_FILE = 'runledger.config.json';
const MAX_REPORTED = 5;

export interface LoadedConfig {
  file: string;
  config: RunledgerConfig;
}

/** The config in force: the explicit file, or the nearest one upwards from `cwd`. */
export function loadConfig(explicit: string | undefined, cwd: string): LoadedConfig {
  const file = explicit === undefined ? findConfig(cwd) : resolve(cwd, explicit);
  if (file === undefined)
    throw new RunledgerError('CONFIG_NOT_FOUND', `no ${CONFIG_FILE} in ${cwd} or any directory above it (or pass --config FILE)`, { cwd });
  if (!existsSync(file)) throw new RunledgerError('CONFIG_NOT_FOUND', `config file not found: ${file}`, { file });
  return { file, config: parseConfig(file, readFileSync(file, 'utf8')) };
}

export function findConfig(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export function parseConfig(file: string, text: string): RunledgerConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RunledgerError('INVALID_CONFIG', `${file}: not valid JSON: ${(err as Error).message}`, { file });
  }
  const problems = [...Value.Errors(ConfigSchema, value)]
    .slice(0, MAX_REPORTED)
    .map((e) => ({ path: jsonPath(e.path), message: messageOf(e) }));
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path}: ${p.message.toLowerCase()}`).join('; ');
    throw new RunledgerError('INVALID_CONFIG', `${file}: ${list}`, { file, problems });
  }
  return value as RunledgerConfig;
}

/** A union's own description says what was expected better than "expected union value". */
function messageOf(e: { message: string; schema: { description?: string } }): string {
  return e.schema.description ? `expected ${e.schema.description}` : e.message;
}

/** JSON pointer `/templates/web/args/0` as `templates.web.args[0]` (the root is `$`). */
function jsonPath(pointer: string): string {
  if (pointer === '') return '$';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (acc, part) =>
        /^\d+$/.test(part)
          ? `${acc}[${part}]`
          : /^[A-Za-z_$][\w$-]*$/.test(part)
            ? `${acc}${acc ? '.' : ''}${part}`
            : `${acc}[${JSON.stringify(part)}]`,
      '',
    );
}
