// What a benchmark reads about another process from /proc: resident memory,
// open descriptors and CPU time. Shared by the daemon benchmarks.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const MiB = 1024 * 1024;
/** Bytes as MiB with one decimal. */
export const fmtMiB = (bytes) => `${(bytes / MiB).toFixed(1)} MiB`;

/** Resident memory of a pid in bytes. */
export function rssOf(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) * 1024;
}

/** Open descriptors of a pid and the inotify watches they hold (leaked watchers or files show up here). */
export function fdsOf(pid) {
  const fds = readdirSync(`/proc/${pid}/fd`);
  let watches = 0;
  for (const fd of fds) {
    try {
      if (!readlinkSync(`/proc/${pid}/fd/${fd}`).includes('inotify')) continue;
      watches += readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('inotify wd:')).length;
    } catch {
      // closed meanwhile
    }
  }
  return `${fds.length} fds, ${watches} inotify watches`;
}

/** utime + stime of a pid in clock ticks (fields 14 and 15, counted after the last ')'). */
export function cpuTicksOf(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

/** Share of one core the pid used over `ms` (assumes 100 ticks per second, as on Linux). */
export async function cpuShareOf(pid, ms) {
  const before = cpuTicksOf(pid);
  await new Promise((r) => setTimeout(r, ms));
  return (cpuTicksOf(pid) - before) / 100 / (ms / 1000);
}
