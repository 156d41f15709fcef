/**
 * The default retention: the daemon prunes the logs of runs that ended more
 * than `retention.logs` ago (default 30d) once at start and then hourly, so
 * run logs no longer grow without end. It reads `retention` from
 * `runledger.config.json` in the home (the daemon serves every project of the
 * home, so a project's own config cannot decide for the others); `"never"`
 * turns it off. A pass that finds nothing appends nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDuration } from '../supervisor/durations.js';
import type { DaemonContext } from './context.js';
import { pruneLogs } from './prune.js';

export const DEFAULT_LOG_RETENTION = '30d';
const EVERY_MS = 60 * 60 * 1000;

export interface Retention {
  /** Stop the timer and wait for a pass in flight. */
  finish(): Promise<void>;
}

/** `retention.logs` of the home's config: a duration, or null for "never"; the default when the file does not say. */
export function readLogRetention(home: string, warn: (message: string) => void = () => undefined): string | null {
  const file = join(home, 'runledger.config.json');
  if (!existsSync(file)) return DEFAULT_LOG_RETENTION;
  try {
    const value = (JSON.parse(readFileSync(file, 'utf8')) as { retention?: { logs?: unknown } }).retention?.logs;
    if (value === undefined) return DEFAULT_LOG_RETENTION;
    if (value === 'never') return null;
    if (typeof value !== 'string') throw new Error('retention.logs must be a duration such as "30d", or "never"');
    parseDuration(value, 'retention.logs');
    return value;
  } catch (err) {
    warn(`${file}: ${(err as Error).message}; keeping the default log retention (${DEFAULT_LOG_RETENTION})`);
    return DEFAULT_LOG_RETENTION;
  }
}

export function startRetention(ctx: DaemonContext): Retention {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = () => {
    if (stopped) return;
    running = running.then(async () => {
      const olderThan = readLogRetention(ctx.paths.home, (m) => ctx.log.warn(m));
      if (olderThan === null || stopped) return;
      try {
        const report = await pruneLogs(ctx, { olderThan }, 'retention');
        if (report.position !== null) ctx.log.info('retention pruned logs', { runs: report.runs.length, bytes: report.bytes, olderThan });
      } catch (err) {
        if (!stopped) ctx.log.warn('retention pass failed', { message: (err as Error).message });
      }
    });
  };
  const timer = setInterval(pass, EVERY_MS);
  timer.unref();
  pass();
  return {
    finish: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
