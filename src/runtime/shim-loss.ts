/**
 * What a waiting supervisor can still learn when the shim did not leave an
 * exit record: whether the shim died while its child lives on (the child's
 * parent is no longer the shim: it was reparented), and, for a shim we
 * spawned ourselves, the shim's own exit status, which mirrors its child's
 * (native/shim.c, exit_like) and so still carries the code on a full disk.
 */
import type { ExitStatus, ProcessIdentity, ShimLostReport } from './adapter.js';
import { readProcStat } from './proc.js';

/** How the shim process we spawned ended (execa's view of it). */
export interface ShimExit {
  exitCode?: number | undefined;
  signal?: string | undefined;
}

/** "exit 3", "killed by SIGKILL", for evidence. */
function describeShimExit(shim: ShimExit): string {
  if (shim.signal) return `killed by ${shim.signal}`;
  return shim.exitCode === undefined ? 'ended' : `exit ${shim.exitCode}`;
}

/**
 * The shim is lost when the child, still alive as itself, has another
 * parent. One /proc read of the child; the shim's own stat only once lost.
 * Undefined while the shim is the parent or the child is not the same process.
 */
export async function detectShimLoss(
  identity: ProcessIdentity,
  shimPid: number,
  checkedAt: string,
  shimExit?: ShimExit,
): Promise<ShimLostReport | undefined> {
  const child = await readProcStat(identity.pid);
  if (!child || child.state === 'Z' || child.startTime !== identity.startTime || child.ppid === shimPid) return undefined;
  const shim = await readProcStat(shimPid);
  // A process under the shim's pid that started after our child is not our shim (pid recycled).
  const shimState = !shim
    ? 'gone'
    : shim.state === 'Z'
      ? 'zombie'
      : BigInt(shim.startTime) > BigInt(identity.startTime)
        ? 'pid reused'
        : 'not the parent';
  return {
    shimPid,
    childPid: identity.pid,
    evidence: { shimState, childPpid: child.ppid, checkedAt, ...(shimExit ? { shimExit: describeShimExit(shimExit) } : {}) },
  };
}

/** The end of a child whose shim was lost earlier: seen to end, code unknown. */
export function shimLostExit(lost: ShimLostReport, checkedAt: string): ExitStatus {
  return {
    exitCode: null,
    signal: null,
    exitedAt: checkedAt,
    fallback: { kind: 'shim-lost', evidence: { ...lost.evidence, childGoneAt: checkedAt } },
  };
}

/**
 * The child's status from its shim's exit status, for a shim that ended
 * after its child without leaving exit.json (it mirrors the child: exit code
 * or the same signal). Undefined when the shim's end says nothing.
 */
export function exitFromShimStatus(shim: ShimExit, shimPid: number | undefined, checkedAt: string): ExitStatus | undefined {
  if (shim.signal === undefined && shim.exitCode === undefined) return undefined;
  const evidence = {
    reason: 'shim-exit-status',
    exitRecord: 'missing',
    shim: { pid: shimPid ?? null, exitCode: shim.exitCode ?? null, signal: shim.signal ?? null },
    note: 'the shim could not write exit.json (disk full?); it exits with its child status, which is recorded here',
    checkedAt,
  };
  return {
    exitCode: shim.signal ? null : (shim.exitCode ?? null),
    signal: shim.signal ?? null,
    exitedAt: null,
    fallback: { kind: 'shim-exit-status', evidence },
  };
}
