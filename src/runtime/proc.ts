/**
 * Facts about processes straight from /proc (Linux only). A pid alone is not
 * an identity: pids are recycled, so every check compares the kernel start
 * time (field 22 of /proc/<pid>/stat) and the boot id as well.
 */
import { open, readFile, readdir, type FileHandle } from 'node:fs/promises';
import type { ProcessIdentity } from './adapter.js';
import { fdSlots } from './fd-slots.js';
import { createSharedScan } from './shared-scan.js';

export interface ProcStat {
  pid: number;
  comm: string;
  /** One letter: R, S, D, Z (zombie), T, ... */
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  /** Clock ticks since boot, kept as a string to avoid any precision loss. */
  startTime: string;
  /** CPU time in clock ticks: its own user + system time and that of the children it waited for (fields 14-17). */
  cpuTicks?: number;
  /** Resident set size in pages (field 24). */
  rssPages?: number;
}

export type IdentityCheck =
  | { state: 'alive'; observed: ProcessIdentity }
  | { state: 'gone'; observed: { pid: number; zombie: boolean } }
  | { state: 'reused'; observed: { pid: number; startTime: string | null; bootId: string } };

/** Parse /proc/<pid>/stat; fields are counted after the LAST ')' because comm may hold spaces and parens. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(' ');
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const field = (n: number): string | undefined => rest[n - 3];
  const startTime = field(22);
  if (startTime === undefined) return undefined;
  const stat: ProcStat = {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: field(3) ?? '?',
    ppid: Number(field(4)),
    pgid: Number(field(5)),
    sid: Number(field(6)),
    startTime,
  };
  const ticks = [14, 15, 16, 17].map((n) => Number(field(n)));
  if (ticks.every(Number.isFinite)) stat.cpuTicks = ticks.reduce((a, b) => a + b, 0);
  const rss = Number(field(24));
  if (field(24) !== undefined && Number.isFinite(rss)) stat.rssPages = rss;
  return stat;
}

/**
 * One read into a small pooled buffer: readFile sizes /proc files (st_size 0)
 * with a fresh 64 KiB buffer per call, which at hundreds of reads per group
 * scan made the daemon's RSS balloon. A stat line is far shorter than this.
 */
const STAT_READ_BYTES = 4000;

/** The process's stat, or undefined when there is no such pid. */
export function readProcStat(pid: number): Promise<ProcStat | undefined> {
  return fdSlots.run(() => readProcStatNow(pid));
}

async function readProcStatNow(pid: number): Promise<ProcStat | undefined> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(`/proc/${pid}/stat`, 'r');
    const buf = Buffer.allocUnsafe(STAT_READ_BYTES);
    const { bytesRead } = await handle.read(buf, 0, STAT_READ_BYTES, 0);
    return parseProcStat(buf.toString('utf8', 0, bytesRead));
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

let cachedBootId: Promise<string> | undefined;

/** This boot's id; start times only compare within one boot. */
export function readBootId(): Promise<string> {
  cachedBootId ??= readFile('/proc/sys/kernel/random/boot_id', 'utf8').then((s) => s.trim());
  return cachedBootId;
}

/** The identity of a live pid right now (zombies included), or undefined. */
export async function identityOf(pid: number): Promise<ProcessIdentity | undefined> {
  const stat = await readProcStat(pid);
  if (!stat) return undefined;
  return { pid, pgid: stat.pgid, startTime: stat.startTime, bootId: await readBootId() };
}

/** Is `expected` still the process running under its pid? A zombie counts as dead. */
export async function checkIdentity(expected: ProcessIdentity): Promise<IdentityCheck> {
  const [stat, bootId] = await Promise.all([readProcStat(expected.pid), readBootId()]);
  if (!stat || stat.state === 'Z') return { state: 'gone', observed: { pid: expected.pid, zombie: stat?.state === 'Z' } };
  if (bootId !== expected.bootId || stat.startTime !== expected.startTime) {
    return { state: 'reused', observed: { pid: expected.pid, startTime: stat.startTime, bootId } };
  }
  return { state: 'alive', observed: { pid: expected.pid, pgid: stat.pgid, startTime: stat.startTime, bootId } };
}

/** Every process on the machine, zombies included, by one scan of /proc. */
async function readProcTable(): Promise<ProcStat[]> {
  const names = await readdir('/proc');
  const stats = await Promise.all(names.filter((n) => /^\d+$/.test(n)).map((n) => readProcStat(Number(n))));
  return stats.filter((s): s is ProcStat => s !== undefined);
}

/** Stopping 1,000 runs asks for 1,000 group listings at once: they share scans instead of each reading all of /proc. */
const procTable = createSharedScan(readProcTable);

/** Every process's stat, from a scan that began after this call; concurrent callers share it. */
export function scanProcesses(): Promise<ProcStat[]> {
  return procTable.fresh();
}

/** Live (non-zombie) members of a process group, found by scanning /proc (a scan that began after this call). */
export async function listGroupMembers(pgid: number): Promise<ProcStat[]> {
  const table = await procTable.fresh();
  return table.filter((s) => s.pgid === pgid && s.state !== 'Z');
}

/** Is any process of the group still alive (zombies do not count)? */
export async function groupAlive(pgid: number): Promise<boolean> {
  // No process at all in the group (not even a zombie): answer without scanning /proc.
  if (!groupHasAnyProcess(pgid)) return false;
  return (await listGroupMembers(pgid)).length > 0;
}

function groupHasAnyProcess(pgid: number): boolean {
  if (!Number.isSafeInteger(pgid) || pgid <= 1) return true; // let the scan decide; never signal group 0/1
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
