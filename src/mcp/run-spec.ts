/**
 * The `run` tool's arguments as a RunSpecInput (pure but for the real-path
 * check of `--allow-cwd`): the safety flags applied at the door, the session
 * as owner, the client named in labels. Durations given as numbers are
 * seconds, as on the command line; the daemon gets milliseconds.
 */
import type { RunSpecInput } from '../supervisor/spec.js';
import { checkCwd, checkShell } from './guard.js';

type Duration = number | string;

export interface RunArgs {
  command: string;
  args?: string[];
  shell?: boolean;
  cwd?: string;
  env?: Record<string, string>;
  secretEnv?: string[];
  name?: string;
  labels?: Record<string, string>;
  slot?: string;
  key?: string;
  timeout?: Duration;
  ready?: { line?: string; port?: number; socket?: string; timeout?: Duration };
  restart?: { policy: 'never' | 'on-failure' | 'always'; maxRestarts?: number; minUptime?: Duration };
  stopSignal?: string;
  grace?: Duration;
  turn?: string;
  toolCall?: string;
}

export interface RunGuard {
  session: string;
  labels: Record<string, string>;
  defaultCwd: string;
  allowCwd: readonly string[];
  noShell: boolean;
}

/** Seconds when a number (as people type them); strings go to the daemon's parser. */
export const durationOf = (d: Duration): Duration => (typeof d === 'number' ? Math.round(d * 1000) : d);

export function specOfRunArgs(a: RunArgs, g: RunGuard): RunSpecInput {
  if (g.noShell) checkShell(a);
  const spec: RunSpecInput = {
    // With a shell, the words are one command line (as `runledger run --shell -- …` joins them).
    command: a.shell ? [a.command, ...(a.args ?? [])].join(' ') : a.command,
    args: a.shell ? [] : (a.args ?? []),
    cwd: checkCwd(a.cwd ?? g.defaultCwd, g.defaultCwd, g.allowCwd),
    // The client's own labels may not pass for another client: ours are written last.
    labels: { ...a.labels, ...g.labels },
    owner: {
      session: g.session,
      ...(a.turn !== undefined ? { turn: a.turn } : {}),
      ...(a.toolCall !== undefined ? { toolCall: a.toolCall } : {}),
    },
  };
  if (a.shell) spec.shell = true;
  if (a.env) spec.env = a.env;
  if (a.secretEnv) spec.secretEnvKeys = a.secretEnv;
  for (const k of ['name', 'slot', 'key', 'stopSignal'] as const) if (a[k] !== undefined) spec[k] = a[k];
  if (a.timeout !== undefined) spec.timeout = durationOf(a.timeout);
  if (a.grace !== undefined) spec.grace = durationOf(a.grace);
  if (a.ready) {
    const { timeout, ...check } = a.ready;
    spec.ready = { ...check, ...(timeout !== undefined ? { timeout: durationOf(timeout) } : {}) };
  }
  if (a.restart) {
    const { minUptime, ...policy } = a.restart;
    spec.restart = { ...policy, ...(minUptime !== undefined ? { minUptime: durationOf(minUptime) } : {}) };
  }
  return spec;
}
