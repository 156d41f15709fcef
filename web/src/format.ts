/** Words and numbers for people, the same forms the CLI prints. */

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = Math.max(0, bytes);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)}B` : `${v.toFixed(1)}${units[u]}`;
}

export function clockTime(iso: string | number): string {
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour12: false });
}

export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args.map((a) => (a === '' || /[\s"'\\$`]/.test(a) ? JSON.stringify(a) : a))].join(' ');
}

export function exitText(exitCode: number | null, signal: string | null): string {
  if (signal) return signal;
  return exitCode === null ? '-' : String(exitCode);
}
