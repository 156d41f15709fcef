/** Finding cgroup v2 from /proc/self/mountinfo and /proc/self/cgroup, and the RUNLEDGER_TRACKING setting. */
import { describe, expect, it } from 'vitest';
import { isRunledgerError } from '../../src/errors.js';
import { cgroup2Mount, cgroupName, ownCgroup, resolveTracking } from '../../src/runtime/tracking.js';

const HYBRID = [
  '25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw',
  '31 25 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  '42 31 0:39 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
].join('\n');

describe('tracking', () => {
  it('finds the cgroup2 mount, hybrid or pure v2, and none in a v1-only table', () => {
    expect(cgroup2Mount(HYBRID)).toBe('/sys/fs/cgroup/unified');
    expect(cgroup2Mount('30 25 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate')).toBe('/sys/fs/cgroup');
    expect(
      cgroup2Mount(
        HYBRID.split('\n')
          .filter((l) => !l.includes('cgroup2'))
          .join('\n'),
      ),
    ).toBeUndefined();
  });

  it('reads our own cgroup v2 path from the 0:: line', () => {
    expect(ownCgroup('4:memory:/x\n0::/user.slice/user-1000.slice/user@1000.service/app.slice\n')).toBe(
      '/user.slice/user-1000.slice/user@1000.service/app.slice',
    );
    expect(ownCgroup('4:memory:/x\n')).toBeUndefined();
  });

  it('names one cgroup per home, stable for the same home', () => {
    expect(cgroupName('/tmp/a')).toMatch(/^runledger-[0-9a-f]{12}$/);
    expect(cgroupName('/tmp/a')).toBe(cgroupName('/tmp/a/'));
    expect(cgroupName('/tmp/a')).not.toBe(cgroupName('/tmp/b'));
  });

  it('RUNLEDGER_TRACKING=pgroup forces the fallback and says so; an unknown value is INVALID_CONFIG', () => {
    expect(resolveTracking('/tmp/rl-tracking-test', 'pgroup')).toEqual({ mode: 'process-group', reason: 'forced by RUNLEDGER_TRACKING' });
    expect(() => resolveTracking('/tmp/rl-tracking-test', 'maybe')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    try {
      resolveTracking('/tmp/rl-tracking-test', 'maybe');
    } catch (err) {
      expect(isRunledgerError(err, 'INVALID_CONFIG')).toBe(true);
    }
  });
});
