/**
 * `run`'s health flags: their value parsers (checked at the door as USAGE
 * errors) and how they merge onto a spec's `health` (a template's, or none).
 * A bare number of a health duration means seconds, as everywhere people
 * type durations.
 */
import type { HealthInput } from '../supervisor/health-spec.js';
import { usageError } from './failure.js';
import { duration } from './parse.js';

export interface HealthFlags {
  healthHttp?: string;
  healthTcp?: { port: number; host?: string };
  healthCmd?: { command: string; args: string[] };
  healthInterval?: string;
  healthTimeout?: string;
  healthRetries?: number;
  healthStartPeriod?: string;
}

/** A duration where a bare number is seconds: `10` is `10s`; `500ms`, `2m` as typed. */
export function seconds(flag: string) {
  const check = duration(flag);
  return (value: string): string => (/^\d+(\.\d+)?$/.test(value.trim()) ? `${value.trim()}s` : check(value));
}

/** `[HOST:]PORT`; an IPv6 host in brackets (`[::1]:8080`). */
export function hostPort(flag: string) {
  return (value: string): { port: number; host?: string } => {
    const m = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(value.trim());
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535)
      throw usageError(`${flag}: expected [HOST:]PORT (e.g. 5432 or db:5432), got ${JSON.stringify(value)}`, { flag });
    const host = m[1]?.replace(/^\[(.*)\]$/, '$1');
    return host ? { port, host } : { port };
  };
}

/**
 * "CMD ARGS" split into words without a shell: blanks separate words, '…' is literal,
 * "…" allows \" and \\, a backslash outside quotes escapes the next character. No
 * variables, globs or pipes: for those, ask for a shell yourself (`sh -c '…'`).
 */
export function commandWords(flag: string) {
  return (value: string): { command: string; args: string[] } => {
    const words: string[] = [];
    let word: string | null = null;
    let quote: "'" | '"' | null = null;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (quote === "'") {
        if (c === "'") quote = null;
        else word = (word ?? '') + c;
      } else if (quote === '"') {
        if (c === '"') quote = null;
        else if (c === '\\' && (value[i + 1] === '"' || value[i + 1] === '\\')) word = (word ?? '') + value[++i]!;
        else word = (word ?? '') + c;
      } else if (/\s/.test(c)) {
        if (word !== null) words.push(word);
        word = null;
      } else if (c === "'" || c === '"') {
        quote = c;
        word ??= '';
      } else if (c === '\\' && i + 1 < value.length) word = (word ?? '') + value[++i];
      else word = (word ?? '') + c;
    }
    if (quote) throw usageError(`${flag}: unterminated ${quote} quote in ${JSON.stringify(value)}`, { flag });
    if (word !== null) words.push(word);
    if (words.length === 0 || words[0] === '') throw usageError(`${flag}: expected a command, e.g. "pg_isready -h localhost"`, { flag });
    return { command: words[0]!, args: words.slice(1) };
  };
}

/** Merge the health flags onto `base` (a template's health, or none); undefined when neither says anything. */
export function healthOf(flags: HealthFlags, base: HealthInput | undefined): HealthInput | undefined {
  const kinds = [flags.healthHttp, flags.healthTcp, flags.healthCmd].filter((k) => k !== undefined).length;
  const tuning =
    flags.healthInterval !== undefined ||
    flags.healthTimeout !== undefined ||
    flags.healthRetries !== undefined ||
    flags.healthStartPeriod !== undefined;
  if (kinds === 0 && !tuning) return base;
  if (kinds > 1) throw usageError('give one health probe: --health-http, --health-tcp or --health-cmd', { flag: '--health-*' });
  if (kinds === 0 && !base)
    throw usageError(
      '--health-interval/--health-timeout/--health-retries/--health-start-period need a probe: --health-http, --health-tcp or --health-cmd',
      {
        flag: '--health-*',
      },
    );
  // A probe on the command line replaces the template's probe kind, and keeps its tuning.
  const probe =
    kinds === 0
      ? { http: base!.http, tcp: base!.tcp, exec: base!.exec }
      : {
          http: flags.healthHttp === undefined ? undefined : { url: flags.healthHttp },
          tcp: flags.healthTcp,
          exec: flags.healthCmd,
        };
  const out: HealthInput = { ...base };
  delete out.http;
  delete out.tcp;
  delete out.exec;
  for (const [k, v] of Object.entries(probe)) if (v !== undefined) Object.assign(out, { [k]: v });
  if (flags.healthInterval !== undefined) out.interval = flags.healthInterval;
  if (flags.healthTimeout !== undefined) out.timeout = flags.healthTimeout;
  if (flags.healthRetries !== undefined) out.failureThreshold = flags.healthRetries;
  if (flags.healthStartPeriod !== undefined) out.startPeriod = flags.healthStartPeriod;
  return out;
}
