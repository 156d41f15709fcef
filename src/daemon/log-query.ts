/**
 * The optional parts of a logs request (`attempt`, `timestamps`, `since`),
 * checked at the door, and the LogLine each line becomes: `attempt` and
 * `time` appear only when asked for, so the plain answer stays as it was.
 */
import type { AttemptChoice } from '../projections/log-attempts.js';
import type { LogLine } from './api.js';
import { badRequest } from './http/errors.js';
import { flag, text, type Query } from './http/query.js';
import type { LogStream, StreamReadOptions } from './log-files.js';

export interface LogsShape {
  attempt?: AttemptChoice;
  /** Add `time` to each line. */
  timestamps: boolean;
  read: Pick<StreamReadOptions, 'since' | 'times'>;
}

export function parseLogsQuery(query: Query): LogsShape {
  const attemptText = text(query, 'attempt');
  const attempt = attemptText === undefined ? undefined : parseAttempt(attemptText);
  const timestamps = flag(query, 'timestamps');
  const sinceText = text(query, 'since');
  const since = sinceText === undefined ? undefined : Date.parse(sinceText);
  if (since !== undefined && Number.isNaN(since))
    throw badRequest(`since must be an ISO-8601 time, got ${JSON.stringify(sinceText)}`, { parameter: 'since' });
  const read = { times: timestamps || since !== undefined, ...(since !== undefined ? { since } : {}) };
  return { ...(attempt !== undefined ? { attempt } : {}), timestamps, read };
}

/** `all` or an attempt number (1 is the first). */
export function parseAttempt(value: string): AttemptChoice {
  if (value === 'all') return 'all';
  if (/^[1-9]\d*$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  throw badRequest(`attempt must be an attempt number (1, 2, …) or all, got ${JSON.stringify(value)}`, { parameter: 'attempt' });
}

export function logLineOf(stream: LogStream, line: string, time: number | undefined, attempt: number, shape: LogsShape): LogLine {
  return {
    stream,
    line,
    ...(shape.attempt !== undefined ? { attempt } : {}),
    ...(shape.timestamps ? { time: time === undefined ? null : new Date(time).toISOString() } : {}),
  };
}
