/**
 * The whole process tree of an attempt, not just its group: what is in it
 * (`listTreePids`, also what readiness needs to check port ownership), how
 * to signal all of it (`signalTree`) and how to let go of it (`releaseTree`).
 *
 * With a cgroup (tracking.ts) the tree is the cgroup's members, exactly.
 * Without one it is the process group, plus, by one /proc scan, the session
 * and every descendant of a member (by ppid) that started no earlier than
 * the leader, plus what earlier scans saw (identity-checked by start time):
 * a `setsid` child is found while its parent lives, and stays found after.
 * What left both session and group after its parent died cannot be seen;
 * the attempt's recorded tracking says so.
 */
import { access } from 'node:fs/promises';
import { constants } from 'node:os';
import type { AttemptRef, SignalOutcome, TreeMember } from './adapter.js';
import { attemptCgroup, cgroupPids, killCgroup, removeCgroup } from './cgroup.js';
import { checkIdentity, scanProcesses, readBootId, readProcStat, type ProcStat } from './proc.js';
import { sendSignal } from './signal.js';
import type { Tracking } from './tracking.js';

type TreeRef = AttemptRef;

export interface TreeContext {
  tracking: Tracking;
  /** Members earlier scans found, per attempt (pid -> start time): the fallback's memory. */
  seen: Map<string, Map<number, string>>;
}

/** The attempt's cgroup, when it has one (created at spawn, removed once empty). */
export async function cgroupOf(ctx: TreeContext, ref: TreeRef): Promise<string | undefined> {
  if (ctx.tracking.mode !== 'cgroup') return undefined;
  const path = attemptCgroup(ctx.tracking.base, ref.runId, ref.attempt);
  return (await access(path).then(
    () => true,
    () => false,
  ))
    ? path
    : undefined;
}

/** Live (non-zombie) members of the attempt's tree, the leader included while it lives. */
export async function listTreePids(ctx: TreeContext, ref: TreeRef): Promise<TreeMember[]> {
  return (await treeStats(ctx, ref)).map((s) => ({ pid: s.pid, command: s.comm }));
}

/** The stat lines of the tree's live members (what usage sums in the fallback). */
export async function treeStats(ctx: TreeContext, ref: TreeRef): Promise<ProcStat[]> {
  const cgroup = await cgroupOf(ctx, ref);
  if (cgroup) {
    const stats = await Promise.all((await cgroupPids(cgroup)).map((pid) => readProcStat(pid)));
    return stats.filter((s): s is ProcStat => s !== undefined && s.state !== 'Z');
  }
  return scanTree(ctx, ref);
}

async function scanTree(ctx: TreeContext, ref: TreeRef): Promise<ProcStat[]> {
  const { identity } = ref;
  if ((await readBootId()) !== identity.bootId) return [];
  const key = `${ref.runId}/${ref.attempt}`;
  const seen = ctx.seen.get(key) ?? new Map<number, string>();
  const leaderStart = BigInt(identity.startTime);
  const sessions = new Set([identity.pid, ...(ref.shimPid ? [ref.shimPid] : [])]);
  const candidates = (await scanProcesses()).filter((s) => s.state !== 'Z' && s.pid !== ref.shimPid && BigInt(s.startTime) >= leaderStart);
  const members = new Map<number, ProcStat>();
  for (const s of candidates) {
    if (s.pgid === identity.pgid || sessions.has(s.sid) || seen.get(s.pid) === s.startTime) members.set(s.pid, s);
  }
  // Descendants of members, however deep (a child starts after its parent, so one ordered pass is not enough).
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of candidates) {
      if (!members.has(s.pid) && members.has(s.ppid)) {
        members.set(s.pid, s);
        grew = true;
      }
    }
  }
  for (const s of members.values()) seen.set(s.pid, s.startTime);
  ctx.seen.set(key, seen);
  return [...members.values()];
}

/**
 * Signal every member of the tree. With a cgroup, SIGKILL is cgroup.kill;
 * other signals go to each member. Without, the group gets it through the
 * identity-checked group signal, then each member found outside the group
 * (rechecked by start time right before). 'mismatch' when the leader's pid
 * now names another process: nothing is sent (the attempt is stale).
 */
export async function signalTree(ctx: TreeContext, ref: TreeRef, signal: string): Promise<SignalOutcome> {
  if (!(signal in constants.signals)) throw new TypeError(`unknown signal ${JSON.stringify(signal)}`);
  const cgroup = await cgroupOf(ctx, ref);
  if (cgroup) {
    // The recorded identity rules, as everywhere: a pid that is not the one we recorded means stale, not ours.
    if ((await checkIdentity(ref.identity)).state === 'reused') return 'mismatch';
    const members = await treeStats(ctx, ref);
    if (signal === 'SIGKILL') await killCgroup(cgroup);
    else for (const m of members) kill(m.pid, signal);
    return members.length > 0 ? 'sent' : 'gone';
  }
  // Scan first: once the group is signalled, a setsid child's parent may die and take the trail with it.
  const members = await scanTree(ctx, ref);
  const outcome = await sendSignal(ref.identity, signal, 'group');
  if (outcome === 'mismatch') return outcome;
  let reached = false;
  for (const m of members) {
    if (m.pgid === ref.identity.pgid) continue;
    if ((await readProcStat(m.pid))?.startTime === m.startTime) reached = kill(m.pid, signal) || reached;
  }
  if (reached) return 'sent';
  return outcome;
}

/** Let go of an attempt's tree once it is empty: remove its cgroup, forget what scans saw. */
export async function releaseTree(ctx: TreeContext, ref: TreeRef): Promise<void> {
  ctx.seen.delete(`${ref.runId}/${ref.attempt}`);
  const cgroup = await cgroupOf(ctx, ref);
  if (cgroup) await removeCgroup(cgroup);
}

function kill(pid: number, signal: string): boolean {
  try {
    process.kill(pid, signal as NodeJS.Signals);
    return true;
  } catch {
    return false;
  }
}
