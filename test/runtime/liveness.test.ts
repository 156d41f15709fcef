import { describe, expect, it } from 'vitest';
import { createLivenessMonitor } from '../../src/runtime/liveness.js';

/** A monitor with a hand-cranked timer and a pid list the test controls. */
function setup(fullEvery = 5) {
  let fire: (() => void) | undefined;
  let intervals = 0;
  let cleared = 0;
  const present = new Set<number>();
  const monitor = createLivenessMonitor({
    periodMs: 1000,
    fullEvery,
    listPids: async () => new Set(present),
    setInterval: (fn) => {
      intervals++;
      fire = fn;
      return {};
    },
    clearInterval: () => {
      cleared++;
      fire = undefined;
    },
  });
  const tick = async (): Promise<void> => {
    fire?.();
    await new Promise((r) => setImmediate(r));
  };
  return { monitor, present, tick, counts: () => ({ intervals, cleared }) };
}

describe('createLivenessMonitor', () => {
  it('wakes only the watchers whose pid left /proc', async () => {
    const { monitor, present, tick } = setup();
    const woken: number[] = [];
    present.add(10).add(11);
    monitor.add(10, () => woken.push(10));
    monitor.add(11, () => woken.push(11));
    await tick();
    expect(woken).toEqual([]);
    present.delete(11);
    await tick();
    expect(woken).toEqual([11]);
  });

  it('wakes every watcher every fullEvery ticks, so a recycled pid is still checked', async () => {
    const { monitor, present, tick } = setup(3);
    let checks = 0;
    present.add(10);
    monitor.add(10, () => checks++);
    for (let i = 0; i < 6; i++) await tick();
    expect(checks).toBe(2);
  });

  it('has a timer only while something is watched', async () => {
    const { monitor, counts } = setup();
    const stopA = monitor.add(1, () => undefined);
    const stopB = monitor.add(2, () => undefined);
    expect(counts()).toEqual({ intervals: 1, cleared: 0 });
    stopA();
    expect(counts().cleared).toBe(0);
    stopB();
    expect(counts()).toEqual({ intervals: 1, cleared: 1 });
  });

  it('lets a check remove its own watcher during the tick', async () => {
    const { monitor, tick } = setup();
    let calls = 0;
    const stop = monitor.add(99, () => {
      calls++;
      stop();
    });
    await tick();
    await tick();
    expect(calls).toBe(1);
  });
});
