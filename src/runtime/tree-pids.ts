/**
 * The pids of an attempt's process tree: its group and session members
 * (the child leads both, so pgid = sid = its pid) and every descendant of
 * the leader by parent links, which also catches a grandchild that moved to
 * its own group or session. Only processes started no earlier than the
 * leader count, so a recycled pid is never mistaken for a member.
 */
import type { ProcessIdentity } from './adapter.js';
import { scanProcesses, type ProcStat } from './proc.js';

/** Pure: select the tree of `root` among `stats` (one scan of /proc). */
export function selectTreePids(stats: readonly ProcStat[], root: Pick<ProcessIdentity, 'pid' | 'pgid' | 'startTime'>): number[] {
  const started = BigInt(root.startTime);
  const live = stats.filter((s) => s.state !== 'Z' && BigInt(s.startTime) >= started);
  const tree = new Set<number>(live.filter((s) => s.pid === root.pid || s.pgid === root.pgid || s.sid === root.pgid).map((s) => s.pid));
  // Descendants by parent links, to a fixed point (a child can be listed before its parent).
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of live) {
      if (!tree.has(s.pid) && tree.has(s.ppid)) {
        tree.add(s.pid);
        grew = true;
      }
    }
  }
  return [...tree].sort((a, b) => a - b);
}

/** Every process's stat, from a pass over /proc that began after this call (shared with concurrent callers). */
export function readAllStats(): Promise<ProcStat[]> {
  return scanProcesses();
}

/** The live pids of the attempt's tree right now. */
export async function readTreePids(root: Pick<ProcessIdentity, 'pid' | 'pgid' | 'startTime'>): Promise<number[]> {
  return selectTreePids(await readAllStats(), root);
}
