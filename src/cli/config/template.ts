/**
 * A template becomes a RunSpecInput: `{{var}}` placeholders in every string
 * filled from --bind over the template's own `vars`; a missing binding is a
 * USAGE error naming the variable. Numbers that came from bindings are turned
 * back into numbers.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { RunledgerError } from '../../errors.js';
import type { RunSpecInput } from '../../supervisor/spec.js';
import { usageError } from '../failure.js';
import type { LoadedConfig } from './load.js';
import type { BatchItemConfig, TemplateConfig } from './schema.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

export interface ResolvedTemplate {
  name: string;
  spec: RunSpecInput;
}

/**
 * `checkBind`: a --bind that names no variable of the template is a typo
 * (`--bind prot=8080`), not something to ignore silently. A batch checks its
 * bindings against all its templates at once instead.
 */
export function resolveTemplate(loaded: LoadedConfig, name: string, bind: Record<string, string>, checkBind = true): ResolvedTemplate {
  const template = templateOf(loaded, name);
  if (checkBind) checkBindings(bind, variablesOf(template), `template "${name}"`);
  const { vars, ...spec } = template;
  const values = { ...vars, ...bind };
  const filled = fill(spec, (v) => {
    const value = values[v];
    if (value === undefined)
      throw usageError(`template "${name}" needs a value for {{${v}}}: pass --bind ${v}=VALUE`, { template: name, var: v });
    return value;
  }) as Omit<TemplateConfig, 'vars'>;
  // A relative cwd in a config file means relative to that file, not to wherever the CLI runs.
  if (filled.cwd !== undefined && !isAbsolute(filled.cwd)) filled.cwd = resolve(dirname(loaded.file), filled.cwd);
  if (filled.envFile !== undefined && !isAbsolute(filled.envFile)) filled.envFile = resolve(dirname(loaded.file), filled.envFile);
  // Runs of a template are named after it (`ps` shows "web", not "node"), unless it names them itself.
  filled.name ??= name;
  return { name, spec: toNumbers(filled) };
}

/** The variables a template knows: its `vars` and every {{placeholder}} it uses. */
export function variablesOf(template: TemplateConfig): string[] {
  const found = new Set(Object.keys(template.vars ?? {}));
  const text = JSON.stringify({ ...template, vars: undefined });
  for (const m of text.matchAll(PLACEHOLDER)) found.add(m[1]!);
  return [...found].sort();
}

function checkBindings(bind: Record<string, string>, known: readonly string[], what: string): void {
  const unknown = Object.keys(bind).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  const names = unknown.map((k) => `"${k}"`).join(', ');
  throw usageError(`--bind ${names}: ${what} has no such variable (its variables: ${known.join(', ') || 'none'})`, {
    unknown,
    variables: known,
  });
}

function templateOf(loaded: LoadedConfig, name: string): TemplateConfig {
  const template = loaded.config.templates?.[name];
  if (!template) {
    const known = Object.keys(loaded.config.templates ?? {});
    throw new RunledgerError('TEMPLATE_NOT_FOUND', `no template "${name}" in ${loaded.file} (templates: ${known.join(', ') || 'none'})`, {
      template: name,
      file: loaded.file,
      known,
    });
  }
  return template;
}

/** The templates of a batch, each with its own bindings over the command line's. */
export function resolveBatch(loaded: LoadedConfig, batch: string, bind: Record<string, string>): ResolvedTemplate[] {
  const items = loaded.config.batches?.[batch];
  if (!items) {
    const known = Object.keys(loaded.config.batches ?? {});
    throw new RunledgerError('TEMPLATE_NOT_FOUND', `no batch "${batch}" in ${loaded.file} (batches: ${known.join(', ') || 'none'})`, {
      batch,
      file: loaded.file,
      known,
    });
  }
  const names = items.map((item: BatchItemConfig) => (typeof item === 'string' ? item : item.template));
  const known = [...new Set(names.flatMap((n) => variablesOf(templateOf(loaded, n))))].sort();
  checkBindings(bind, known, `batch "${batch}"`);
  return items.map((item: BatchItemConfig) =>
    typeof item === 'string'
      ? resolveTemplate(loaded, item, bind, false)
      : resolveTemplate(loaded, item.template, { ...item.bind, ...bind }, false),
  );
}

function fill(value: unknown, lookup: (v: string) => string): unknown {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, (_, v: string) => lookup(v));
  if (Array.isArray(value)) return value.map((v) => fill(v, lookup));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, lookup)]));
  return value;
}

function toNumbers(spec: Omit<TemplateConfig, 'vars'>): RunSpecInput {
  const { ready, restart, health, timeout, grace, ...rest } = spec;
  const out: RunSpecInput = rest;
  if (timeout !== undefined) out.timeout = seconds(timeout);
  if (grace !== undefined) out.grace = seconds(grace);
  if (health !== undefined) {
    const { tcp, failureThreshold, interval, timeout: probeTimeout, startPeriod, ...other } = health;
    out.health = {
      ...other,
      ...(interval === undefined ? {} : { interval: seconds(interval) }),
      ...(probeTimeout === undefined ? {} : { timeout: seconds(probeTimeout) }),
      ...(startPeriod === undefined ? {} : { startPeriod: seconds(startPeriod) }),
      ...(tcp === undefined ? {} : { tcp: { ...tcp, port: toInt(tcp.port, 'health.tcp.port') } }),
      ...(failureThreshold === undefined ? {} : { failureThreshold: toInt(failureThreshold, 'health.failureThreshold') }),
    };
  }
  if (ready !== undefined) {
    const { port, timeout: readyTimeout, ...other } = ready;
    out.ready = {
      ...other,
      ...(port === undefined ? {} : { port: toInt(port, 'ready.port') }),
      ...(readyTimeout === undefined ? {} : { timeout: seconds(readyTimeout) }),
    };
  }
  if (restart !== undefined) {
    if (typeof restart === 'string') out.restart = restart;
    else {
      const { maxRestarts, backoff, maxBackoff, minUptime, ...other } = restart;
      const count =
        maxRestarts === 'unlimited' ? 'unlimited' : maxRestarts === undefined ? undefined : toInt(maxRestarts, 'restart.maxRestarts');
      out.restart = {
        ...other,
        ...(count === undefined ? {} : { maxRestarts: count }),
        ...(backoff === undefined ? {} : { backoff: seconds(backoff) }),
        ...(maxBackoff === undefined ? {} : { maxBackoff: seconds(maxBackoff) }),
        ...(minUptime === undefined ? {} : { minUptime: seconds(minUptime) }),
      };
    }
  }
  return out;
}

/**
 * A config file is typed by people, like a flag: a bare number is seconds
 * (`"timeout": 30`). The spec reads a JS number as milliseconds (library
 * API), so a number is handed on as text, which the spec reads as seconds.
 */
function seconds(v: number | string): string {
  return typeof v === 'number' ? String(v) : v;
}

function toInt(v: number | string, field: string): number {
  if (typeof v === 'number') return v;
  if (!/^\d+$/.test(v.trim()))
    throw new RunledgerError('INVALID_SPEC', `${field}: expected a whole number, got ${JSON.stringify(v)}`, { field });
  return Number(v);
}
