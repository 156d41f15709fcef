/**
 * Words for durations and exits, shared by the timeline and views. They live
 * here (not in supervisor/) because projections sit below the supervisor and
 * must not import it; the supervisor can import these instead. The web page
 * bundles this file too (web/src/facts.ts), so the page prints the same forms:
 * it must stay free of imports and of Node or DOM APIs.
 */

/** Compact human form: 950ms, 12s, 3m20s, 2h5m. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  return `${Math.floor(h / 24)}d${h % 24 ? `${h % 24}h` : ''}`;
}

/** Compact binary sizes: 512B, 4.0KiB, 12.3MiB, 1.5GiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)}B` : `${value.toFixed(1)}${units[unit]}`;
}

/** "exited with code 1", "killed by SIGKILL", or "exit status unknown". */
export function describeExit(exitCode: number | null, signal: string | null): string {
  if (signal) return `killed by ${signal}`;
  if (exitCode === null) return 'exit status unknown';
  return `exited with code ${exitCode}`;
}

/** An exit in a table cell: the signal, else the code, else "-". */
export function exitCell(exitCode: number | null, signal: string | null): string {
  if (signal) return signal;
  return exitCode === null ? '-' : String(exitCode);
}

/** A command line as a person would type it; arguments with spaces or quotes are quoted. */
export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args.map(quoteArg)].join(' ');
}

function quoteArg(arg: string): string {
  return arg === '' || /[\s"'\\$`]/.test(arg) ? JSON.stringify(arg) : arg;
}
