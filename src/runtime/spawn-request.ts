/**
 * Normalizing a SpawnRequest once, at the door: the argv the shim execs, the
 * exact environment, and the checks that turn a user's mistake into
 * SPAWN_FAILED before anything is forked.
 */
import { stat } from 'node:fs/promises';
import { RunledgerError } from '../errors.js';
import type { SpawnRequest } from './adapter.js';
import type { SpawnErrorRecord } from './attempt-dir.js';

/** The argv to exec: the command itself, or `/bin/sh -c` only when the request asked for a shell. */
export function buildArgv(req: SpawnRequest): string[] {
  if (typeof req.command !== 'string' || req.command.length === 0) throw new TypeError('command must be a non-empty string');
  if (req.shell) return ['/bin/sh', '-c', [req.command, ...req.args].join(' ')];
  return [req.command, ...req.args];
}

/** The caller's variables laid over the base environment. */
export function buildEnv(req: SpawnRequest): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.baseEnv ?? process.env)) if (v !== undefined) env[k] = v;
  return { ...env, ...req.env };
}

/** A missing cwd would otherwise look like a missing shim; say what is wrong. */
export async function checkCwd(req: SpawnRequest): Promise<void> {
  const info = await stat(req.cwd).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new RunledgerError('SPAWN_FAILED', `working directory not found: ${req.cwd}`, { cwd: req.cwd });
  }
}

/** Turn the shim's exec errno into the error spawn() rejects with. */
export function toSpawnError(req: SpawnRequest, record: SpawnErrorRecord): RunledgerError {
  const what = req.shell ? '/bin/sh' : req.command;
  const message =
    record.code === 'ENOENT'
      ? `command not found: ${what}`
      : record.code === 'EACCES'
        ? `permission denied: ${what}`
        : `cannot execute ${what}: ${record.message}`;
  return new RunledgerError('SPAWN_FAILED', message, { command: what, errno: record.errno, code: record.code });
}

/** The shim's flags for one attempt; `cgroup`: the one the child joins before exec. */
export function shimArgs(dir: string, req: SpawnRequest, cgroup?: string): string[] {
  return ['--dir', dir, '--max-bytes', String(req.logs.maxBytes), '--keep', String(req.logs.keep), ...(cgroup ? ['--cgroup', cgroup] : [])];
}
