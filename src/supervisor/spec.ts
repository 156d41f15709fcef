/**
 * The run spec, normalized once at the door: defaults applied, every field
 * checked, secrets split off. Nothing deeper re-validates. A bad field is an
 * INVALID_SPEC error that names the field.
 */
import { constants as osConstants } from 'node:os';
import { basename, resolve } from 'node:path';
import { RunledgerError } from '../errors.js';
import { OWNER_KEYS, UNLIMITED_RESTARTS } from '../events/constants.js';
import type { OwnerScope, RestartPolicy, RunSpecRecord } from '../events/schemas.js';
import { parseDuration } from './durations.js';
import { normalizeHealth, type HealthInput } from './health-spec.js';
import { redactEnv } from './redact.js';

type Duration = number | string;

/** What a caller asks for; durations are ms numbers or strings like "30s". */
export interface RunSpecInput {
  command: string;
  args?: readonly string[];
  /** Run `command` through /bin/sh -c. Only when explicitly asked. */
  shell?: boolean;
  cwd?: string;
  env?: Readonly<Record<string, string>>;
  /** Names to treat as secret besides those the word rule finds (redact.ts). */
  secretEnvKeys?: readonly string[];
  /** An env file read at every spawn (env-file.ts); only its path is recorded. Relative to the default cwd. */
  envFile?: string;
  name?: string;
  labels?: Readonly<Record<string, string>>;
  owner?: OwnerScope;
  slot?: string;
  key?: string;
  timeout?: Duration;
  ready?: { line?: string; port?: number; host?: string; socket?: string; timeout?: Duration };
  stopSignal?: string;
  grace?: Duration;
  restart?:
    | RestartPolicy['policy']
    | {
        policy: RestartPolicy['policy'];
        maxRestarts?: number | 'unlimited';
        backoff?: Duration;
        maxBackoff?: Duration;
        minUptime?: Duration;
      };
  logs?: { maxBytes?: number; keep?: number };
  runtime?: 'background' | 'tmux';
  /** Leave what is left of the tree alive when the main process exits (recorded, not reaped). */
  keepLeftovers?: boolean;
  /** A periodic health probe (health-spec.ts): http, tcp or exec, with interval, timeout, threshold, start period. */
  health?: HealthInput;
}

export interface NormalizedSpec {
  /** What the ledger records (secrets redacted). */
  record: RunSpecRecord;
  /** The env the child really gets on top of the base env. */
  env: Record<string, string>;
}

export const SPEC_DEFAULTS = {
  stopSignal: 'SIGTERM',
  graceMs: 10_000,
  readyTimeoutMs: 20_000,
  restart: { policy: 'never', maxRestarts: 5, backoffMs: 1000, maxBackoffMs: 30_000, minUptimeMs: 10_000 } as RestartPolicy,
  logs: { maxBytes: 10 * 1024 * 1024, keep: 3 },
};

function fail(field: string, message: string): never {
  throw new RunledgerError('INVALID_SPEC', `${field}: ${message}`, { field });
}

function str(v: unknown, field: string, { empty = false } = {}): string {
  if (typeof v !== 'string') fail(field, 'must be a string');
  if (!empty && v.length === 0) fail(field, 'must not be empty');
  if (v.includes('\0')) fail(field, 'must not contain NUL');
  return v;
}

function record(v: unknown, field: string): Record<string, string> {
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(field, 'must be an object of strings');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k.length === 0 || k.includes('=') || k.includes('\0')) fail(`${field}.${k}`, 'is not a valid name');
    out[k] = str(val, `${field}.${k}`, { empty: true });
  }
  return out;
}

function duration(v: Duration | undefined, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' && typeof v !== 'string') fail(field, 'must be a duration like "30s" or a number of milliseconds');
  try {
    return parseDuration(v, field);
  } catch (err) {
    fail(field, (err as Error).message.replace(`${field}: `, ''));
  }
}

function positiveDuration(v: Duration | undefined, field: string): number | null {
  if (v === undefined || v === null) return null;
  const ms = duration(v, field, 0);
  if (ms <= 0) fail(field, 'must be greater than zero');
  return ms;
}

function signalName(v: unknown, field: string): string {
  const s = str(v, field).toUpperCase();
  const name = s.startsWith('SIG') ? s : `SIG${s}`;
  if (!(name in osConstants.signals)) fail(field, `${JSON.stringify(v)} is not a signal this system knows`);
  return name;
}

function owner(v: unknown): OwnerScope {
  if (v === undefined) return {};
  const raw = record(v, 'owner');
  for (const k of Object.keys(raw))
    if (!(OWNER_KEYS as readonly string[]).includes(k)) fail(`owner.${k}`, `unknown scope key (expected one of ${OWNER_KEYS.join(', ')})`);
  return raw as OwnerScope;
}

function strings(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(field, 'must be an array of strings');
  return v.map((a, i) => str(a, `${field}[${i}]`, { empty: true }));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function ready(v: RunSpecInput['ready']): RunSpecRecord['ready'] {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) fail('ready', 'must be an object');
  const out: NonNullable<RunSpecRecord['ready']> = {
    timeoutMs: positiveDuration(v.timeout, 'ready.timeout') ?? SPEC_DEFAULTS.readyTimeoutMs,
  };
  if (v.line !== undefined) {
    out.line = str(v.line, 'ready.line');
    try {
      new RegExp(out.line);
    } catch (err) {
      fail('ready.line', `invalid regular expression: ${(err as Error).message}`);
    }
  }
  if (v.port !== undefined) {
    if (!Number.isInteger(v.port) || v.port < 1 || v.port > 65535) fail('ready.port', 'must be an integer from 1 to 65535');
    out.port = v.port;
    if (v.host !== undefined) out.host = str(v.host, 'ready.host');
  }
  if (v.socket !== undefined) out.socket = str(v.socket, 'ready.socket');
  if (out.line === undefined && out.port === undefined && out.socket === undefined)
    fail('ready', 'needs at least one of line, port, socket');
  return out;
}

function restart(v: RunSpecInput['restart']): RestartPolicy {
  const d = SPEC_DEFAULTS.restart;
  if (v === undefined) return { ...d };
  if (typeof v !== 'string' && !isObject(v)) fail('restart', 'must be never, on-failure, always, or an object with a policy');
  const o = typeof v === 'string' ? { policy: v } : v;
  if (!['never', 'on-failure', 'always'].includes(o.policy)) fail('restart.policy', 'must be never, on-failure or always');
  const maxRestarts = o.maxRestarts === 'unlimited' ? UNLIMITED_RESTARTS : (o.maxRestarts ?? d.maxRestarts);
  if (!Number.isSafeInteger(maxRestarts) || maxRestarts < 0) fail('restart.maxRestarts', 'must be a whole number >= 0 or "unlimited"');
  return {
    policy: o.policy,
    maxRestarts,
    backoffMs: duration(o.backoff, 'restart.backoff', d.backoffMs),
    maxBackoffMs: duration(o.maxBackoff, 'restart.maxBackoff', d.maxBackoffMs),
    minUptimeMs: duration(o.minUptime, 'restart.minUptime', d.minUptimeMs),
  };
}

function logs(v: RunSpecInput['logs']): RunSpecRecord['logs'] {
  if (v !== undefined && !isObject(v)) fail('logs', 'must be an object with maxBytes and keep');
  const maxBytes = v?.maxBytes ?? SPEC_DEFAULTS.logs.maxBytes;
  const keep = v?.keep ?? SPEC_DEFAULTS.logs.keep;
  if (!Number.isInteger(maxBytes) || maxBytes < 1024) fail('logs.maxBytes', 'must be a whole number >= 1024');
  if (!Number.isInteger(keep) || keep < 0 || keep > 100) fail('logs.keep', 'must be a whole number from 0 to 100');
  return { maxBytes, keep };
}

/** Validate and default a spec. `cwd` defaults to `defaultCwd`; relative cwds resolve against it. */
export function normalizeSpec(input: RunSpecInput, defaultCwd: string): NormalizedSpec {
  if (!isObject(input)) fail('spec', 'must be an object');
  const command = str(input.command, 'command');
  const args = strings(input.args, 'args');
  if (input.shell !== undefined && typeof input.shell !== 'boolean') fail('shell', 'must be true or false');
  const cwd = input.cwd === undefined ? defaultCwd : str(input.cwd, 'cwd');
  const env = record(input.env, 'env');
  const secretKeys = strings(input.secretEnvKeys, 'secretEnvKeys');
  const { env: loggedEnv, redacted } = redactEnv(env, secretKeys);
  const runtime = input.runtime ?? 'background';
  if (runtime !== 'background' && runtime !== 'tmux') fail('runtime', 'must be background or tmux');
  if (input.keepLeftovers !== undefined && typeof input.keepLeftovers !== 'boolean') fail('keepLeftovers', 'must be true or false');
  const health = normalizeHealth(input.health);
  const rec: RunSpecRecord = {
    command,
    args,
    shell: input.shell ?? false,
    cwd: cwd.startsWith('/') ? cwd : `${defaultCwd.replace(/\/$/, '')}/${cwd}`,
    env: loggedEnv,
    redactedEnv: redacted,
    name: input.name === undefined ? basename(command.split(/\s/)[0] ?? command) || command : str(input.name, 'name'),
    labels: record(input.labels, 'labels'),
    owner: owner(input.owner),
    slot: input.slot === undefined ? null : str(input.slot, 'slot'),
    key: input.key === undefined ? null : str(input.key, 'key'),
    timeoutMs: positiveDuration(input.timeout, 'timeout'),
    ready: ready(input.ready),
    stopSignal: input.stopSignal === undefined ? SPEC_DEFAULTS.stopSignal : signalName(input.stopSignal, 'stopSignal'),
    graceMs: duration(input.grace, 'grace', SPEC_DEFAULTS.graceMs),
    restart: restart(input.restart),
    logs: logs(input.logs),
    runtime,
    ...(input.envFile === undefined ? {} : { envFile: resolve(defaultCwd, str(input.envFile, 'envFile')) }),
    // Only when asked: a default run's record stays as it always was.
    ...(input.keepLeftovers ? { keepLeftovers: true } : {}),
    ...(health ? { health } : {}),
  };
  return { record: rec, env };
}
