/**
 * A validated stack file becomes the plan the daemon applies: replicas
 * expanded (`web.1`…), paths made absolute against the file's directory,
 * bare-number durations read as seconds, the health block mapped onto the
 * run spec's `health` field, dependencies checked (an unknown name or a
 * cycle is INVALID_STACK with the file and line).
 */
import { basename, dirname, resolve } from 'node:path';
import { RunledgerError } from '../../errors.js';
import { findCycle } from '../graph.js';
import type { PlannedProcess, StackPlan } from '../plan.js';
import type { HealthInput } from '../../supervisor/health-spec.js';
import { parseDuration } from '../../supervisor/durations.js';
import type { RunSpecInput } from '../../supervisor/spec.js';
import type { LoadedStack } from './parse.js';
import type { StackProcessConfig } from './schema.js';

type Duration = number | string;
/** The health helper's defaults (docker's: 30 s interval, 30 s timeout, 3 failures, no start period) until it publishes its own. */
const HEALTH_DEFAULTS = { intervalMs: 30_000, timeoutMs: 30_000, failureThreshold: 3, startPeriodMs: 0 };

export function toPlan(loaded: LoadedStack): StackPlan {
  const { stack, file } = loaded;
  const dir = dirname(file);
  checkDependencies(loaded);
  const instancesOf = (name: string): string[] => {
    const n = stack.processes[name]!.replicas;
    return n === undefined ? [name] : Array.from({ length: n }, (_, i) => `${name}.${i + 1}`);
  };
  const processes: PlannedProcess[] = [];
  for (const [group, p] of Object.entries(stack.processes)) {
    const dependsOn: PlannedProcess['dependsOn'] = {};
    for (const [dep, condition] of Object.entries(p.dependsOn ?? {})) for (const inst of instancesOf(dep)) dependsOn[inst] = condition;
    for (const name of instancesOf(group)) processes.push({ name, group, spec: specOf(p, dir, loaded, group), dependsOn });
  }
  return { name: stack.name ?? stackNameOf(dir), file, processes };
}

/** The directory's name, made a valid stack name. */
export function stackNameOf(dir: string): string {
  return (
    basename(dir)
      .replace(/[^A-Za-z0-9_.-]/g, '-')
      .replace(/^[.-]+/, '') || 'stack'
  );
}

function checkDependencies(loaded: LoadedStack): void {
  const { processes } = loaded.stack;
  const graph = new Map<string, string[]>();
  for (const [name, p] of Object.entries(processes)) {
    for (const dep of Object.keys(p.dependsOn ?? {}))
      if (!(dep in processes)) {
        const line = loaded.lineOf(['processes', name, 'dependsOn', dep]);
        throw new RunledgerError(
          'INVALID_STACK',
          `${loaded.shown}:${line} processes.${name}.dependsOn.${dep}: no process named ${dep} (processes: ${Object.keys(processes).join(', ')})`,
          { file: loaded.file, line, process: name, dependency: dep },
        );
      }
    graph.set(name, Object.keys(p.dependsOn ?? {}));
  }
  const cycle = findCycle(graph);
  if (cycle) {
    const line = loaded.lineOf(['processes', cycle[0]!, 'dependsOn', cycle[1]!]);
    throw new RunledgerError('INVALID_STACK', `${loaded.shown}:${line} dependency cycle: ${cycle.join(' -> ')}`, {
      file: loaded.file,
      line,
      cycle,
    });
  }
}

function specOf(p: StackProcessConfig, dir: string, loaded: LoadedStack, group: string): PlannedProcess['spec'] {
  const [command, ...lead] = typeof p.command === 'string' ? [p.command] : p.command;
  const spec: RunSpecInput = {
    command: command!,
    args: [...lead, ...(p.args ?? [])],
    cwd: resolve(dir, p.cwd ?? '.'),
  };
  if (p.shell !== undefined) spec.shell = p.shell;
  if (p.env) spec.env = Object.fromEntries(Object.entries(p.env).map(([k, v]) => [k, String(v)]));
  if (p.envFile !== undefined) spec.envFile = resolve(dir, p.envFile);
  if (p.secretEnv) spec.secretEnvKeys = p.secretEnv;
  if (p.labels) spec.labels = p.labels;
  if (p.ready) {
    const { timeout, ...rest } = p.ready;
    spec.ready = { ...rest, ...(timeout === undefined ? {} : { timeout: seconds(timeout) }) };
  }
  if (p.stopSignal !== undefined) spec.stopSignal = p.stopSignal;
  if (p.grace !== undefined) spec.grace = seconds(p.grace);
  if (p.timeout !== undefined) spec.timeout = seconds(p.timeout);
  if (p.restart !== undefined) {
    if (typeof p.restart === 'string') spec.restart = p.restart;
    else {
      const { backoff, maxBackoff, minUptime, ...rest } = p.restart;
      spec.restart = {
        ...rest,
        ...(backoff === undefined ? {} : { backoff: seconds(backoff) }),
        ...(maxBackoff === undefined ? {} : { maxBackoff: seconds(maxBackoff) }),
        ...(minUptime === undefined ? {} : { minUptime: seconds(minUptime) }),
      };
    }
  }
  if (p.logs) spec.logs = p.logs;
  if (p.runtime) spec.runtime = p.runtime;
  if (p.keepLeftovers) spec.keepLeftovers = true;
  if (p.health) spec.health = healthOf(p.health, loaded, group);
  return spec;
}

/** The stack file's `health:` block as the run spec's `health` field (exactly one probe). */
export function healthOf(h: NonNullable<StackProcessConfig['health']>, loaded: LoadedStack, group: string): HealthInput {
  const probes = (['http', 'tcp', 'exec'] as const).filter((k) => h[k] !== undefined);
  if (probes.length !== 1) {
    const line = loaded.lineOf(['processes', group, 'health']);
    throw new RunledgerError(
      'INVALID_STACK',
      `${loaded.shown}:${line} processes.${group}.health: expected exactly one of http, tcp, exec`,
      {
        file: loaded.file,
        line,
      },
    );
  }
  // Durations in milliseconds (numbers are ms in the library's spec): the file's seconds are converted here.
  const out: HealthInput = {
    interval: ms(h.interval, HEALTH_DEFAULTS.intervalMs),
    timeout: ms(h.timeout, HEALTH_DEFAULTS.timeoutMs),
    failureThreshold: h.failureThreshold ?? HEALTH_DEFAULTS.failureThreshold,
    startPeriod: ms(h.startPeriod, HEALTH_DEFAULTS.startPeriodMs),
  };
  if (h.http !== undefined) out.http = { url: typeof h.http === 'string' ? h.http : h.http.url };
  if (h.tcp !== undefined) out.tcp = typeof h.tcp === 'number' ? { port: h.tcp } : { ...h.tcp };
  if (h.exec !== undefined) {
    const [command, ...args] = typeof h.exec === 'string' ? [h.exec] : h.exec;
    out.exec = { command: command!, args };
  }
  return out;
}

/** People's durations: a bare number is seconds (shared decision); text keeps its unit. */
function seconds(d: Duration): string {
  return typeof d === 'number' ? `${Math.round(d * 1000)}ms` : /^\s*\d+(\.\d+)?\s*$/.test(d) ? `${Math.round(Number(d) * 1000)}ms` : d;
}

function ms(d: Duration | undefined, fallback: number): number {
  return d === undefined ? fallback : parseDuration(seconds(d), 'health');
}
