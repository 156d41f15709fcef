import { describe, expect, it } from 'vitest';
import type { TreeUsage } from '../../src/runtime/adapter.js';
import { nextSample } from '../../src/supervisor/usage-sampler.js';

const u = (cpuSeconds: number, rssBytes: number, extra: Partial<TreeUsage> = {}): TreeUsage => ({
  cpuSeconds,
  rssBytes,
  processes: 1,
  source: 'proc',
  ...extra,
});

describe('nextSample', () => {
  it('starts without a CPU% and takes the first values', () => {
    expect(nextSample(undefined, u(0.5, 100), 1, 1000)).toMatchObject({
      cpuSeconds: 0.5,
      rssBytes: 100,
      peakRssBytes: 100,
      cpuPercent: null,
      at: 1000,
    });
  });

  it('CPU% is the CPU time between two samples over the wall time between them', () => {
    const first = nextSample(undefined, u(1, 100), 1, 1000);
    expect(nextSample(first, u(1.5, 100), 1, 3000).cpuPercent).toBe(25);
    expect(nextSample(first, u(3, 100), 1, 2000).cpuPercent).toBe(200);
  });

  it('keeps CPU time from going down (a member reaped outside the tree) and RSS at its peak', () => {
    const first = nextSample(undefined, u(2, 500), 1, 1000);
    const next = nextSample(first, u(1.2, 200), 1, 2000);
    expect(next).toMatchObject({ cpuSeconds: 2, rssBytes: 200, peakRssBytes: 500, cpuPercent: 0 });
  });

  it("takes a cgroup's own high-water mark when it is higher than any sample", () => {
    expect(nextSample(undefined, u(1, 100, { peakRssBytes: 900, source: 'cgroup' }), 1, 0)).toMatchObject({
      peakRssBytes: 900,
      source: 'cgroup',
    });
  });
});
