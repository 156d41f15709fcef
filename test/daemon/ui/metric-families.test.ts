import { describe, expect, it } from 'vitest';
import { AppendMeter } from '../../../src/daemon/append-meter.js';
import { metricFamilies, type MetricInputs } from '../../../src/daemon/ui/metric-families.js';
import type { RunState } from '../../../src/projections/run-state.js';
import type { UsageSample } from '../../../src/supervisor/usage-sampler.js';

const attempt = (n: number, ended: boolean) => ({
  n,
  pid: 100 + n,
  endedBy: ended ? 'ProcessExited' : null,
  status: ended ? 'exited' : 'running',
});
const run = (
  id: string,
  status: string,
  attempts: ReturnType<typeof attempt>[],
  extra: Partial<{ name: string; stack: string; slot: string }> = {},
) =>
  ({
    id,
    status,
    restarts: Math.max(0, attempts.length - 1),
    attempts,
    spec: { name: extra.name ?? id, slot: extra.slot ?? null, labels: extra.stack ? { 'runledger.stack': extra.stack } : {} },
  }) as unknown as RunState;
const usage = (cpuSeconds: number, rssBytes: number): UsageSample => ({
  attempt: 1,
  cpuSeconds,
  rssBytes,
  peakRssBytes: rssBytes * 2,
  cpuPercent: null,
  processes: 2,
  source: 'proc',
  at: 0,
});
const daemon = { rssBytes: 50e6, heapUsedBytes: 10e6, cpuSeconds: 1.5, startTimeSeconds: 1_700_000_000 };

function families(input: Partial<MetricInputs>) {
  const all = metricFamilies({
    runs: [],
    usage: new Map(),
    meter: new AppendMeter(),
    headPosition: 7,
    runIdLabels: false,
    daemon,
    ...input,
  });
  return Object.fromEntries(all.map((f) => [f.name, f]));
}

describe('metricFamilies', () => {
  const runs = [
    run('r1', 'running', [attempt(1, true), attempt(2, false)], { name: 'web', stack: 'shop' }),
    run('r2', 'running', [attempt(1, false)], { name: 'web', stack: 'shop' }),
    run('r3', 'failed', [attempt(1, true)], { name: 'job' }),
  ];
  const u = new Map([
    ['r1', usage(1.5, 1000)],
    ['r2', usage(0.5, 3000)],
    ['r3', usage(9, 9)],
  ]);

  it('counts runs by every status, requests, starts, exits and restarts over the whole fold', () => {
    const f = families({ runs, usage: u });
    expect(f.runledger_runs!.values.find((v) => v.labels.status === 'running')!.value).toBe(2);
    expect(f.runledger_runs!.values.find((v) => v.labels.status === 'pending')!.value).toBe(0);
    expect(f.runledger_runs_requested_total!.values[0]!.value).toBe(3);
    expect(f.runledger_process_starts_total!.values[0]!.value).toBe(4);
    expect(f.runledger_process_exits_total!.values[0]!.value).toBe(2);
    expect(f.runledger_restarts_total!.values[0]!.value).toBe(1);
    expect(f.runledger_ledger_head_position!.values[0]!.value).toBe(7);
    expect(f.runledger_daemon_resident_memory_bytes!.values[0]!.value).toBe(50e6);
  });

  it('per-run series cover live runs with name, stack and slot, summed when two share them; ended runs have none', () => {
    const f = families({ runs, usage: u });
    expect(f.runledger_run_cpu_seconds_total!.values).toEqual([{ labels: { name: 'web', stack: 'shop', slot: '' }, value: 2 }]);
    expect(f.runledger_run_memory_bytes!.values).toEqual([{ labels: { name: 'web', stack: 'shop', slot: '' }, value: 4000 }]);
    expect(f.runledger_run_restarts!.values).toEqual([{ labels: { name: 'web', stack: 'shop', slot: '' }, value: 1 }]);
  });

  it('adds run_id only when asked, one series per run', () => {
    const f = families({ runs, usage: u, runIdLabels: true });
    expect(f.runledger_run_cpu_seconds_total!.values.map((v) => [v.labels.run_id, v.value])).toEqual([
      ['r1', 1.5],
      ['r2', 0.5],
    ]);
  });

  it('writes the append latency histogram as cumulative buckets, +Inf, sum and count', () => {
    const meter = new AppendMeter();
    meter.observe(0.003, 1, true);
    meter.observe(0.2, 1, true);
    const h = families({ meter }).runledger_ledger_append_duration_seconds!;
    expect(h.type).toBe('histogram');
    const bucket = (le: number | string) => h.values.find((v) => v.metricName?.endsWith('_bucket') && v.labels.le === le)!.value;
    expect([bucket(0.0025), bucket(0.005), bucket(0.25), bucket('+Inf')]).toEqual([0, 1, 2, 2]);
    expect(h.values.find((v) => v.metricName?.endsWith('_count'))!.value).toBe(2);
  });
});
