/**
 * The start lock: `daemon.start.lock`, created with O_EXCL and holding the
 * starter's pid, so of several CLIs racing to start the daemon one spawns it
 * and the others wait for it to answer. A lock whose holder died is stale
 * and removed. The ledger's own LevelDB lock backs this up: should two
 * daemons still start, the second fails with LEDGER_LOCKED and its CLI
 * connects to the first.
 */
import { closeSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { isPidAlive, readPidFile } from './pid.js';

/** A lock file that is still empty this long after its creation belongs to a starter that died at birth. */
const EMPTY_LOCK_GRACE_MS = 5000;

/** Take the lock; false when another live process holds it. A stale lock is removed and retaken. */
export function tryAcquireStartLock(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (!removeIfStale(path)) return false;
  }
  return false;
}

export function releaseStartLock(path: string): void {
  if (readPidFile(path) !== process.pid) return; // not ours (any more): leave it
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Is the lock still held by a live process (or too fresh to judge)? */
export function isStartLockHeld(path: string): boolean {
  const pid = readPidFile(path);
  if (pid !== undefined) return isPidAlive(pid);
  try {
    return Date.now() - statSync(path).mtimeMs < EMPTY_LOCK_GRACE_MS;
  } catch {
    return false;
  }
}

function removeIfStale(path: string): boolean {
  if (isStartLockHeld(path)) return false;
  try {
    unlinkSync(path);
  } catch {
    // someone else removed it first; either way it is free to try again
  }
  return true;
}
