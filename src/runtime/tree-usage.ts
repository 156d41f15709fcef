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
import { cgroupOf, treeStats, type TreeContext } from './tree.js';

/** USER_HZ: the unit of /proc's CPU times, 100 on every Linux architecture's user ABI. */
export const CLOCK_TICKS_PER_SECOND = 100;

export async function readTreeUsage(ctx: TreeContext, ref: AttemptRef): Promise<TreeUsage> {
  const cgroup = await cgroupOf(ctx, ref);
  const stats = await treeStats(ctx, ref);
  const summedRss = stats.reduce((sum, s) => sum + (s.rssPages ?? 0), 0) * pageSize();
  if (cgroup) {
    const own = await readCgroupUsage(cgroup);
    if (own) {
      const usage: TreeUsage = {
        cpuSeconds: own.cpuSeconds,
        rssBytes: own.memoryBytes ?? summedRss,
        processes: stats.length,
        source: 'cgroup',
      };
      if (own.peakBytes !== undefined) usage.peakRssBytes = own.peakBytes;
      return usage;
    }
  }
  const ticks = stats.reduce((sum, s) => sum + (s.cpuTicks ?? 0), 0);
  return { cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, rssBytes: summedRss, processes: stats.length, source: 'proc' };
}
