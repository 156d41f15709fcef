/** `run`'s flags (over a template, if any) as one RunSpecInput: the command-line words win. */
import { resolve } from 'node:path';
import type { OwnerScope } from '../events/schemas.js';
import type { RunSpecInput } from '../supervisor/spec.js';
import { usageError } from './failure.js';
import { healthOf, type HealthFlags } from './health-flags.js';

export interface RunFlags extends HealthFlags {
  name?: string;
  cwd?: string;
  env?: Record<string, string>;
  envFile?: string;
  secretEnv?: string[];
  label?: Record<string, string>;
  slot?: string;
  key?: string;
  timeout?: string;
  readyLine?: string;
  readyPort?: number;
  readySocket?: string;
  readyTimeout?: string;
  stopSignal?: string;
  grace?: string;
  restart?: 'never' | 'on-failure' | 'always';
  maxRestarts?: number | 'unlimited';
  minUptime?: string;
  runtime?: 'background' | 'tmux';
  keepLeftovers?: boolean;
  session?: string;
  turn?: string;
  toolCall?: string;
  terminal?: string;
  extension?: string;
  hook?: string;
  shell?: boolean;
}

const OWNER_FLAGS = ['session', 'turn', 'toolCall', 'terminal', 'extension', 'hook'] as const;

/** Merge the words after `--` and the flags onto `base` (a template's spec, or nothing). */
export function buildSpec(argv: readonly string[], flags: RunFlags, cwd: string, base?: RunSpecInput): RunSpecInput {
  const spec: RunSpecInput = { ...(base ?? { command: '' }) };
  if (flags.shell) {
    if (argv.length === 0 && !base) throw usageError('run --shell needs a command line: runledger run --shell -- "CMD | CMD"');
    // A shell only because the user passed --shell.
    if (argv.length > 0) Object.assign(spec, { command: argv.join(' '), args: [], shell: flags.shell });
    else spec.shell = flags.shell;
  } else if (base) {
    // With a template, the words after `--` are extra arguments.
    if (argv.length > 0) spec.args = [...(base.args ?? []), ...argv];
  } else {
    if (argv.length === 0) throw usageError('run needs a command: runledger run [options] -- CMD [ARGS...] (or -t TEMPLATE)');
    spec.command = argv[0]!;
    spec.args = argv.slice(1);
  }
  // The daemon runs elsewhere: send an absolute cwd, relative to where the user typed.
  spec.cwd = resolve(cwd, flags.cwd ?? spec.cwd ?? '.');
  if (flags.name !== undefined) spec.name = flags.name;
  if (flags.env) spec.env = { ...spec.env, ...flags.env };
  // The daemon reads it at every spawn, from wherever it runs: send an absolute path.
  if (flags.envFile !== undefined) spec.envFile = resolve(cwd, flags.envFile);
  if (flags.secretEnv) spec.secretEnvKeys = [...(spec.secretEnvKeys ?? []), ...flags.secretEnv];
  if (flags.label) spec.labels = { ...spec.labels, ...flags.label };
  if (flags.slot !== undefined) spec.slot = flags.slot;
  if (flags.key !== undefined) spec.key = flags.key;
  if (flags.timeout !== undefined) spec.timeout = flags.timeout;
  if (flags.stopSignal !== undefined) spec.stopSignal = flags.stopSignal;
  if (flags.grace !== undefined) spec.grace = flags.grace;
  if (flags.runtime !== undefined) spec.runtime = flags.runtime;
  if (flags.keepLeftovers) spec.keepLeftovers = true;
  const ready = readyOf(flags, spec.ready);
  if (ready) spec.ready = ready;
  const restart = restartOf(flags, spec.restart);
  if (restart) spec.restart = restart;
  const health = healthOf(flags, spec.health);
  if (health) spec.health = health;
  const owner: OwnerScope = { ...spec.owner };
  for (const k of OWNER_FLAGS) if (flags[k] !== undefined) owner[k] = flags[k];
  if (Object.keys(owner).length > 0) spec.owner = owner;
  return spec;
}

function readyOf(flags: RunFlags, base: RunSpecInput['ready']): RunSpecInput['ready'] {
  const given =
    flags.readyLine !== undefined || flags.readyPort !== undefined || flags.readySocket !== undefined || flags.readyTimeout !== undefined;
  if (!given) return base;
  if (
    flags.readyTimeout !== undefined &&
    !base &&
    flags.readyLine === undefined &&
    flags.readyPort === undefined &&
    flags.readySocket === undefined
  ) {
    throw usageError('--ready-timeout needs a ready check: --ready-line, --ready-port or --ready-socket');
  }
  return {
    ...base,
    ...(flags.readyLine !== undefined ? { line: flags.readyLine } : {}),
    ...(flags.readyPort !== undefined ? { port: flags.readyPort } : {}),
    ...(flags.readySocket !== undefined ? { socket: flags.readySocket } : {}),
    ...(flags.readyTimeout !== undefined ? { timeout: flags.readyTimeout } : {}),
  };
}

function restartOf(flags: RunFlags, base: RunSpecInput['restart']): RunSpecInput['restart'] {
  if (flags.restart === undefined && flags.maxRestarts === undefined && flags.minUptime === undefined) return base;
  const baseObject = typeof base === 'string' ? { policy: base } : base;
  // --max-restarts alone means "restart on failure, at most N times"; --min-uptime alone changes no policy.
  const policy = flags.restart ?? baseObject?.policy ?? (flags.maxRestarts !== undefined ? 'on-failure' : 'never');
  return {
    ...baseObject,
    policy,
    ...(flags.maxRestarts !== undefined ? { maxRestarts: flags.maxRestarts } : {}),
    ...(flags.minUptime !== undefined ? { minUptime: flags.minUptime } : {}),
  };
}

/** The caller's environment, strings only: the child extends it. Sent for spawning, never logged. */
export function baseEnvOf(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  return out;
}
