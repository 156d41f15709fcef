import { describe, expect, it } from 'vitest';
import { APPEND_BUCKETS, AppendMeter, meterAppends } from '../../src/daemon/append-meter.js';
import { createMemoryLedger } from '../../src/store/memory-store.js';

describe('AppendMeter', () => {
  it('counts appends, events and failures, with cumulative latency buckets', () => {
    const m = new AppendMeter();
    m.observe(0.002, 3, true);
    m.observe(0.3, 1, true);
    m.observe(0.01, 0, false);
    expect({ appends: m.appends, events: m.events, failures: m.failures, count: m.count }).toEqual({
      appends: 2,
      events: 4,
      failures: 1,
      count: 2,
    });
    expect(m.sum).toBeCloseTo(0.302);
    expect(m.buckets[APPEND_BUCKETS.indexOf(0.001)]).toBe(0);
    expect(m.buckets[APPEND_BUCKETS.indexOf(0.0025)]).toBe(1);
    expect(m.buckets[APPEND_BUCKETS.indexOf(0.5)]).toBe(2);
  });

  it('times real appends through the wrapped store, and counts a refused one as a failure', async () => {
    const m = new AppendMeter();
    const store = meterAppends(createMemoryLedger(), m);
    await store.append('run-a', [{ type: 'RunTimedOut', data: { timeoutMs: 5 } }]);
    await expect(store.append('run-a', [{ type: 'RunTimedOut', data: { timeoutMs: 5 } }], { expectedVersion: 0 })).rejects.toThrow();
    expect({ appends: m.appends, events: m.events, failures: m.failures }).toEqual({ appends: 1, events: 1, failures: 1 });
    expect((await store.head()).position).toBe(1);
    await store.close();
  });
});
