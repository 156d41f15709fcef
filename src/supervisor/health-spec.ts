/**
 * The `health` part of a run spec, normalized at the door like the rest of
 * spec.ts: defaults applied, exactly one probe kind, every field checked. A
 * bad field is INVALID_SPEC naming it (`health.http.url`, `health.interval`).
 */
import { RunledgerError } from '../errors.js';
import type { HealthCheck } from '../events/schemas.js';
import { parseDuration } from './durations.js';

type Duration = number | string;

/** What a caller asks for; durations are ms numbers or strings like "10s". */
export interface HealthInput {
  http?: { url: string };
  tcp?: { port: number; host?: string };
  exec?: { command: string; args?: readonly string[] };
  interval?: Duration;
  timeout?: Duration;
  /** Consecutive failed probes that make the attempt unhealthy. */
  failureThreshold?: number;
  /** Probes begin this long after the attempt is ready (or spawned, without a ready check). */
  startPeriod?: Duration;
}

export const HEALTH_DEFAULTS = { intervalMs: 10_000, timeoutMs: 5_000, failureThreshold: 3, startPeriodMs: 0 } as const;
/** Below this a probe loop would be a busy loop. */
export const MIN_HEALTH_INTERVAL_MS = 100;

function fail(field: string, message: string): never {
  throw new RunledgerError('INVALID_SPEC', `${field}: ${message}`, { field });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function text(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0) fail(field, 'must be a non-empty string');
  if (v.includes('\0')) fail(field, 'must not contain NUL');
  return v;
}

function ms(v: unknown, field: string, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' && typeof v !== 'string') fail(field, 'must be a duration like "10s" or a number of milliseconds');
  let value: number;
  try {
    value = parseDuration(v, field);
  } catch (err) {
    fail(field, (err as Error).message.replace(`${field}: `, ''));
  }
  if (value < min) fail(field, `must be at least ${min}ms`);
  return value;
}

function only(v: Record<string, unknown>, field: string, keys: readonly string[]): void {
  for (const k of Object.keys(v)) if (!keys.includes(k)) fail(`${field}.${k}`, `unknown field (expected ${keys.join(', ')})`);
}

/** An http(s) URL without credentials: the spec is recorded in the permanent ledger. */
function httpUrl(v: unknown): string {
  const raw = text(v, 'health.http.url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail('health.http.url', `${JSON.stringify(raw)} is not a URL (try http://127.0.0.1:8080/health)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('health.http.url', 'must be an http:// or https:// URL');
  if (url.username || url.password) fail('health.http.url', 'must not carry credentials (the spec is recorded in the ledger)');
  return raw;
}

function probeOf(v: Record<string, unknown>): Pick<HealthCheck, 'http' | 'tcp' | 'exec'> {
  const kinds = (['http', 'tcp', 'exec'] as const).filter((k) => v[k] !== undefined);
  if (kinds.length !== 1) fail('health', `needs exactly one of http, tcp, exec (got ${kinds.length ? kinds.join(', ') : 'none'})`);
  const kind = kinds[0]!;
  const p = v[kind];
  if (!isObject(p)) fail(`health.${kind}`, 'must be an object');
  if (kind === 'http') {
    only(p, 'health.http', ['url']);
    return { http: { url: httpUrl(p.url) } };
  }
  if (kind === 'tcp') {
    only(p, 'health.tcp', ['port', 'host']);
    const port = p.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
      fail('health.tcp.port', 'must be an integer from 1 to 65535');
    return { tcp: { port, ...(p.host === undefined ? {} : { host: text(p.host, 'health.tcp.host') }) } };
  }
  only(p, 'health.exec', ['command', 'args']);
  const args = p.args ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string' || a.includes('\0')))
    fail('health.exec.args', 'must be an array of strings');
  return { exec: { command: text(p.command, 'health.exec.command'), args: [...(args as string[])] } };
}

/** Validate and default a health check; undefined stays undefined (no probe). */
export function normalizeHealth(v: unknown): HealthCheck | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) fail('health', 'must be an object with one of http, tcp, exec');
  only(v, 'health', ['http', 'tcp', 'exec', 'interval', 'timeout', 'failureThreshold', 'startPeriod']);
  const d = HEALTH_DEFAULTS;
  const threshold = v.failureThreshold ?? d.failureThreshold;
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 1 || threshold > 1000)
    fail('health.failureThreshold', 'must be a whole number from 1 to 1000');
  return {
    ...probeOf(v),
    intervalMs: ms(v.interval, 'health.interval', d.intervalMs, MIN_HEALTH_INTERVAL_MS),
    timeoutMs: ms(v.timeout, 'health.timeout', d.timeoutMs, 1),
    failureThreshold: threshold,
    startPeriodMs: ms(v.startPeriod, 'health.startPeriod', d.startPeriodMs, 0),
  };
}

/** The input that normalizes to `h` again (rerun: a recorded spec back to a request). */
export function healthInputOf(h: HealthCheck): HealthInput {
  return {
    ...(h.http ? { http: { ...h.http } } : {}),
    ...(h.tcp ? { tcp: { ...h.tcp } } : {}),
    ...(h.exec ? { exec: { command: h.exec.command, args: [...h.exec.args] } } : {}),
    interval: h.intervalMs,
    timeout: h.timeoutMs,
    failureThreshold: h.failureThreshold,
    startPeriod: h.startPeriodMs,
  };
}
