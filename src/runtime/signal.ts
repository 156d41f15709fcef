/**
 * Signals that are only ever sent to the process we started. The identity
 * (pid + kernel start time + boot id) is checked right before sending, so a
 * recycled pid is never signalled.
 */
import { constants } from 'node:os';
import type { ProcessIdentity, SignalOutcome } from './adapter.js';
import { checkIdentity, listGroupMembers, readBootId } from './proc.js';

/** Check the identity, then signal the process or its whole group. */
export async function sendSignal(identity: ProcessIdentity, signal: string, target: 'group' | 'process'): Promise<SignalOutcome> {
  if (!(signal in constants.signals)) throw new TypeError(`unknown signal ${JSON.stringify(signal)}`);
  const check = await checkIdentity(identity);
  if (check.state === 'reused') return 'mismatch';
  if (check.state === 'gone') {
    // The leader may be dead while the rest of its group lives on (a TERM-ignoring grandchild):
    // the group must still be reachable or it could never be killed.
    if (target === 'process' || !(await groupOutlivedLeader(identity))) return 'gone';
  }
  return kill(target === 'group' ? -identity.pgid : identity.pid, signal);
}

/**
 * Does our group still have members although its leader is gone? The kernel
 * never hands out a pid that is still in use as a pgid, so while members
 * remain the number cannot name anyone else's group; members that started
 * before our leader cannot be ours, which guards the remaining corner.
 * Residual risk, accepted: if our group empties and a stranger's new group
 * takes the same number between this check and the kill (a window of
 * microseconds, and only after the leader died during a stop), the signal
 * could reach it. Closing it fully would need pidfds, which Node lacks.
 */
async function groupOutlivedLeader(identity: ProcessIdentity): Promise<boolean> {
  if ((await readBootId()) !== identity.bootId) return false;
  const members = await listGroupMembers(identity.pgid);
  const leaderStart = BigInt(identity.startTime);
  return members.length > 0 && members.every((m) => BigInt(m.startTime) >= leaderStart);
}

function kill(pid: number, signal: string): SignalOutcome {
  try {
    process.kill(pid, signal as NodeJS.Signals);
    return 'sent';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
    throw err;
  }
}
