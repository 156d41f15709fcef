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

export function resolveTemplate(loaded: LoadedConfig, name: string, bind: Record<string, string>): ResolvedTemplate {
  const template = loaded.config.templates?.[name];
  if (!template) {
    const known = Object.keys(loaded.config.templates ?? {});
    throw new RunledgerError('TEMPLATE_NOT_FOUND', `no template "${name}" in ${loaded.file} (templates: ${known.join(', ') || 'none'})`, {
      template: name,
      file: loaded.file,
      known,
    });
  }
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
  return { name, spec: toNumbers(filled) };
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
  return items.map((item: BatchItemConfig) =>
    typeof item === 'string' ? resolveTemplate(loaded, item, bind) : resolveTemplate(loaded, item.template, { ...item.bind, ...bind }),
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
      out.restart = {
        ...other,
        ...(maxRestarts === undefined ? {} : { maxRestarts: toInt(maxRestarts, 'restart.maxRestarts') }),
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
