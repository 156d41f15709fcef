/**
 * CPU time and memory of an attempt's whole tree, right now. With a cgroup
 * its own accounting (cgroup-usage.ts): exact, and the CPU of members that
 * already exited is kept. Without one, the sum over the tree's live members
 * from /proc (the same scan tree.ts selects members with, so no extra
 * reads): each member's user + system time plus that of the children it
 * waited for, and its resident pages. A member that exits and is reaped
 * outside the tree takes its time with it, so the sum can drop; callers
 * that need a counter keep the highest value seen.
 */
import type { AttemptRef, TreeUsage } from './adapter.js';
import { readCgroupUsage } from './cgroup-usage.js';
import { pageSize } from './page-size.js';
import { cgroupPids } from './cgroup.js';
import { cgroupOf, treeStats, type TreeContext } from './tree.js';

/** USER_HZ: the unit of /proc's CPU times, 100 on every Linux architecture's user ABI. */
export const CLOCK_TICKS_PER_SECOND = 100;

export async function readTreeUsage(ctx: TreeContext, ref: AttemptRef): Promise<TreeUsage> {
  const cgroup = await cgroupOf(ctx, ref);
  const own = cgroup ? await readCgroupUsage(cgroup) : undefined;
  if (cgroup && own?.memoryBytes !== undefined) {
    // The cgroup knows it all: no per-process reads (1,000 live runs are sampled every few seconds).
    const usage: TreeUsage = {
      cpuSeconds: own.cpuSeconds,
      rssBytes: own.memoryBytes,
      processes: (await cgroupPids(cgroup)).length,
      source: 'cgroup',
    };
    if (own.peakBytes !== undefined) usage.peakRssBytes = own.peakBytes;
    return usage;
  }
  const stats = await treeStats(ctx, ref);
  const rssBytes = stats.reduce((sum, s) => sum + (s.rssPages ?? 0), 0) * pageSize();
  // A cgroup without the memory controller still counts CPU exactly; memory is then summed over its members.
  if (own) return { cpuSeconds: own.cpuSeconds, rssBytes, processes: stats.length, source: 'cgroup' };
  const ticks = stats.reduce((sum, s) => sum + (s.cpuTicks ?? 0), 0);
  return { cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, rssBytes, processes: stats.length, source: 'proc' };
}
