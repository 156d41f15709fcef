/**
 * Durations: `500ms`, `30s`, `5m`, `1h`, `1h30m`, or a bare number (text such
 * as `"30"` or `"1.5"`), which means SECONDS: people typed `--timeout 30` and
 * meant 30 s, never 30 ms (`sleep 30`, `timeout 30`, systemd all read it so).
 * A JS number (the library API) stays milliseconds.
 */
import { RunledgerError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const BARE_SECONDS = /^\d+(?:\.\d+)?$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

export function parseDuration(input: string | number, field = 'duration'): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return Math.round(input);
    throw invalid(field, String(input));
  }
  const text = input.trim();
  if (BARE_SECONDS.test(text)) return Math.round(Number(text) * 1000);
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = PART.exec(text); m; m = PART.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    consumed = PART.lastIndex;
  }
  if (text.length === 0 || consumed !== text.length) throw invalid(field, input);
  return Math.round(total);
}

function invalid(field: string, input: string): RunledgerError {
  return new RunledgerError(
    'INVALID_DURATION',
    `${field}: ${JSON.stringify(input)} is not a duration (try 30 for seconds, 500ms, 30s, 5m, 1h)`,
    {
      field,
      input,
    },
  );
}

export { formatDuration } from '../projections/describe.js';

/**
 * A moment in the past as an ISO time: a duration ago (`30s`, `5m`, a bare
 * number of seconds) or an ISO-8601 time. The CLI's `--since` and the MCP
 * `logs` tool read it alike; a bad value is INVALID_DURATION naming `field`.
 */
export function timeAgo(input: string, field: string, now: number = Date.now()): string {
  const text = input.trim();
  if (/^\d+(\.\d+)?(ms|s|m|h|d|$)/.test(text)) return new Date(now - parseDuration(text, field)).toISOString();
  const t = Date.parse(text);
  if (Number.isNaN(t))
    throw new RunledgerError(
      'INVALID_DURATION',
      `${field}: ${JSON.stringify(input)} is neither a time (ISO-8601) nor a duration ago (30s, 5m, 1h)`,
      {
        field,
        input,
      },
    );
  return new Date(t).toISOString();
}
