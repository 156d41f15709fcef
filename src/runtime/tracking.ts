/**
 * How an attempt's whole process tree is tracked on this machine, decided
 * once per state dir: a cgroup v2 subtree where one is writable (every
 * process the child ever starts is a member, setsid or not), else the
 * process group plus a /proc scan (see tree.ts), which cannot see a process
 * that left both the session and the group after its parent died. The
 * choice and its reason are reported (`daemon status`), never silent.
 *
 * RUNLEDGER_TRACKING: `auto` (default), `cgroup` (required: fail if none is
 * writable) or `pgroup` (force the fallback, e.g. to test it).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RunledgerError } from '../errors.js';

export type TrackingMode = 'cgroup' | 'process-group';

export type Tracking =
  /** `base` is this state dir's own cgroup, `<cgroup2 mount><where>/runledger-<hash>`. */
  { mode: 'cgroup'; base: string; reason: string } | { mode: 'process-group'; reason: string };

const cache = new Map<string, Tracking>();

/** The tracking for a state dir, honouring RUNLEDGER_TRACKING; cached per state dir and setting. */
export function resolveTracking(stateDir: string, setting = process.env.RUNLEDGER_TRACKING ?? 'auto'): Tracking {
  const key = `${resolve(stateDir)}\0${setting}`;
  let found = cache.get(key);
  if (!found) {
    found = decide(stateDir, setting);
    cache.set(key, found);
  }
  return found;
}

function decide(stateDir: string, setting: string): Tracking {
  if (setting === 'pgroup' || setting === 'process-group') return { mode: 'process-group', reason: 'forced by RUNLEDGER_TRACKING' };
  if (setting !== 'auto' && setting !== 'cgroup') {
    throw new RunledgerError('INVALID_CONFIG', `RUNLEDGER_TRACKING must be auto, cgroup or pgroup, got ${JSON.stringify(setting)}`, {
      variable: 'RUNLEDGER_TRACKING',
    });
  }
  const found = findWritableCgroup(stateDir);
  if ('base' in found) return { mode: 'cgroup', base: found.base, reason: found.reason };
  if (setting === 'cgroup') throw new RunledgerError('RUNTIME_UNAVAILABLE', `RUNLEDGER_TRACKING=cgroup, but ${found.reason}`);
  return { mode: 'process-group', reason: found.reason };
}

/** This state dir's cgroup name: one per home, so two homes never share (or clean up) each other's. */
export function cgroupName(stateDir: string): string {
  return `runledger-${createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 12)}`;
}

/** Try the hierarchy's root (root user), then our own cgroup (a delegated subtree such as systemd's user@.service). */
function findWritableCgroup(stateDir: string): { base: string; reason: string } | { reason: string } {
  const mount = cgroup2Mount();
  if (!mount) return { reason: 'no cgroup v2 hierarchy is mounted' };
  const own = ownCgroup();
  const candidates = [mount, ...(own && own !== '/' ? [join(mount, own)] : [])];
  const failures: string[] = [];
  for (const dir of candidates) {
    const base = join(dir, cgroupName(stateDir));
    let made = false;
    try {
      mkdirSync(base);
      made = true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        failures.push(`${dir}: ${code ?? (err as Error).message}`);
        continue;
      }
    }
    // cgroup.kill (Linux 5.14) is what makes a stop reach every member at once.
    const killable = existsSync(join(base, 'cgroup.kill'));
    // Only a probe: the first spawn creates it again (cgroup.ts), so a process that never spawns leaves nothing behind.
    if (made) removeQuietly(base);
    if (!killable) {
      failures.push(`${dir}: no cgroup.kill (kernel older than 5.14)`);
      continue;
    }
    return { base, reason: dir === mount ? 'the cgroup v2 root is writable' : 'our own cgroup is delegated to us' };
  }
  return { reason: `no writable cgroup v2 (${failures.join('; ')})` };
}

/** Where cgroup2 is mounted, from /proc/self/mountinfo (the fields after " - " are fstype, source, options). */
export function cgroup2Mount(mountinfo = readOrEmpty('/proc/self/mountinfo')): string | undefined {
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (after?.split(' ')[0] === 'cgroup2') return before!.split(' ')[4];
  }
  return undefined;
}

/** Our cgroup v2 path, the `0::` line of /proc/self/cgroup. */
export function ownCgroup(text = readOrEmpty('/proc/self/cgroup')): string | undefined {
  return text
    .split('\n')
    .find((l) => l.startsWith('0::'))
    ?.slice(3)
    .trim();
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function removeQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // still in use, or gone
  }
}
