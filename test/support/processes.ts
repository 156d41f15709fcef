/** Process facts for tests that start real processes. */
import { readFileSync } from 'node:fs';

/** Alive and not a zombie: in a container nobody may reap an orphan, and a zombie is dead for us. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
