/** Removing the cgroups a test home got (tracking.ts makes one per home, one child per attempt). */
import { existsSync, readFileSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroup2Mount, cgroupName, ownCgroup } from '../../src/runtime/tracking.js';

/** Where a home's cgroup may be: under the hierarchy's root or under our own cgroup. */
export function cgroupBasesOf(home: string): string[] {
  const mount = cgroup2Mount();
  if (!mount) return [];
  const own = ownCgroup();
  return [mount, ...(own && own !== '/' ? [join(mount, own)] : [])].map((dir) => join(dir, cgroupName(home))).filter((p) => existsSync(p));
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Kill what is left in each attempt cgroup of the home, then remove them and the home's own (sync, for teardown). */
export function removeCgroupsOf(home: string): void {
  for (const base of cgroupBasesOf(home)) {
    const attempts = readdirSync(base)
      .map((n) => join(base, n))
      .filter((p) => statSync(p).isDirectory());
    for (const dir of attempts) {
      writeFileSync(join(dir, 'cgroup.kill'), '1');
      for (let i = 0; i < 200 && /^populated 1$/m.test(readFileSync(join(dir, 'cgroup.events'), 'utf8')); i++)
        Atomics.wait(pause, 0, 0, 25);
      rmdirSync(dir);
    }
    rmdirSync(base);
  }
}
