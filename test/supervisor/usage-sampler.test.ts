import { describe, expect, it } from 'vitest';
import type { RunState } from '../../src/projections/run-state.js';
import type { RuntimeAdapter, TreeUsage } from '../../src/runtime/adapter.js';
import { nextSample, UsageSampler } from '../../src/supervisor/usage-sampler.js';

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

describe('UsageSampler', () => {
  const attempt = { n: 1, status: 'running', pid: 10, pgid: 10, startTime: '1', bootId: 'b', shimPid: null };
  const run = { id: 'r1', status: 'running', attempts: [attempt] } as unknown as RunState;
  const clock = { now: () => now, setTimer: () => ({ cancel() {} }) };
  let now = 0;

  function samplerOver(readings: TreeUsage[]) {
    const calls: number[] = [];
    const runtime = {
      usage: async () => {
        calls.push(now);
        return readings.shift() ?? readings[readings.length - 1]!;
      },
    } as unknown as RuntimeAdapter;
    return { calls, sampler: new UsageSampler({ clock, runtimeOf: () => runtime, runs: () => [run] }, 1000) };
  }

  it('samples live attempts and hands the exit event its CPU time and peak RSS', async () => {
    now = 1000;
    const { sampler } = samplerOver([u(0.5, 300), u(1.5, 200, { source: 'proc' })]);
    await sampler.sampleAll();
    now = 3000;
    const byRun = await sampler.sampleAll();
    expect(byRun.get('r1')).toMatchObject({ cpuSeconds: 1.5, rssBytes: 200, peakRssBytes: 300, cpuPercent: 50 });
    expect(await sampler.final(run, run.attempts[0]!)).toEqual({ cpuSeconds: 1.5, peakRssBytes: 300, source: 'proc' });
    expect(sampler.byRun().size).toBe(0);
  });

  it('records nothing for a /proc tree it never saw alive (no made-up zeros), and measures a cgroup once more at the exit', async () => {
    const empty = samplerOver([u(0, 0, { processes: 0 })]);
    expect(await empty.sampler.final(run, run.attempts[0]!)).toBeUndefined();
    const cg = samplerOver([u(1, 100, { source: 'cgroup' }), u(2.25, 0, { source: 'cgroup', processes: 0, peakRssBytes: 400 })]);
    await cg.sampler.sampleAll();
    expect(await cg.sampler.final(run, run.attempts[0]!)).toEqual({ cpuSeconds: 2.25, peakRssBytes: 400, source: 'cgroup' });
    expect(cg.calls).toHaveLength(2);
  });
});

describe('UsageSampler timing', () => {
  it('measures a new attempt within a second, then every interval', async () => {
    let now = 0;
    let pending: (() => void) | undefined;
    const clock = {
      now: () => now,
      setTimer: (_ms: number, fn: () => void) => {
        pending = fn;
        return { cancel: () => (pending = undefined) };
      },
    };
    const calls: number[] = [];
    const runtime = { usage: async () => (calls.push(now), u(1, 100)) } as unknown as RuntimeAdapter;
    const run = {
      id: 'r1',
      status: 'running',
      attempts: [{ n: 1, status: 'running', pid: 10, pgid: 10, startTime: '1', bootId: 'b', shimPid: null }],
    } as unknown as RunState;
    const sampler = new UsageSampler({ clock, runtimeOf: () => runtime, runs: () => [run] }, 10_000);
    sampler.start();
    const tickAt = async (t: number) => {
      now = t;
      pending!();
      await new Promise((r) => setTimeout(r, 10));
    };
    await tickAt(1000);
    expect(calls).toEqual([1000]);
    await tickAt(2000);
    await tickAt(9000);
    expect(calls).toEqual([1000]);
    await tickAt(10_000);
    expect(calls).toEqual([1000, 10_000]);
    sampler.stop();
    expect(pending).toBeUndefined();
  });
});
