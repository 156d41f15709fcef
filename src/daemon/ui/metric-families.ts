/**
 * What /metrics says, computed from the fold, the usage sampler and the
 * append meter (pure: the formatting is prom-client's). Per-run series
 * cover live runs only and carry `name`, `stack` (label runledger.stack)
 * and `slot`; the run id only when asked for, since one series per run id
 * grows without bound. Live runs that share name, stack and slot are summed
 * into one series, so no two series ever have the same labels.
 */
import { RUN_STATUSES } from '../../events/constants.js';
import { isActive, type RunState } from '../../projections/run-state.js';
import type { UsageSample } from '../../supervisor/usage-sampler.js';
import { APPEND_BUCKETS, type AppendMeter } from '../append-meter.js';

export interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  /** For a histogram's `_bucket`, `_sum`, `_count` lines. */
  metricName?: string;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  values: MetricValue[];
}

/** The daemon process itself. */
export interface DaemonFacts {
  rssBytes: number;
  heapUsedBytes: number;
  cpuSeconds: number;
  startTimeSeconds: number;
}

export interface MetricInputs {
  runs: Iterable<RunState>;
  usage: Map<string, UsageSample>;
  meter: AppendMeter;
  headPosition: number;
  runIdLabels: boolean;
  daemon: DaemonFacts;
}

export function metricFamilies(input: MetricInputs): MetricFamily[] {
  const byStatus = new Map<string, number>(RUN_STATUSES.map((s) => [s, 0]));
  let requested = 0;
  let starts = 0;
  let exits = 0;
  let restarts = 0;
  const perRun = { restarts: new Series(), cpu: new Series(), memory: new Series(), peak: new Series(), processes: new Series() };
  for (const run of input.runs) {
    requested++;
    byStatus.set(run.status, (byStatus.get(run.status) ?? 0) + 1);
    const spawned = run.attempts.filter((a) => a.pid !== null);
    starts += spawned.length;
    exits += spawned.filter((a) => a.endedBy !== null).length;
    restarts += Math.max(0, run.attempts.length - 1);
    if (!isActive(run)) continue;
    const labels = runLabels(run, input.runIdLabels);
    perRun.restarts.add(labels, run.restarts);
    const u = input.usage.get(run.id);
    if (!u) continue;
    perRun.cpu.add(labels, u.cpuSeconds);
    perRun.memory.add(labels, u.rssBytes);
    perRun.peak.add(labels, u.peakRssBytes);
    perRun.processes.add(labels, u.processes);
  }
  const m = input.meter;
  return [
    gauge(
      'runledger_runs',
      'Runs by status (every run the ledger holds).',
      [...byStatus].map(([status, value]) => ({ labels: { status }, value })),
    ),
    counter('runledger_runs_requested_total', 'Runs requested.', requested),
    counter('runledger_process_starts_total', 'Process attempts spawned.', starts),
    counter('runledger_process_exits_total', 'Process attempts that ended after being spawned.', exits),
    counter('runledger_restarts_total', 'Restarts: attempts after the first of each run.', restarts),
    family(
      'runledger_run_restarts',
      'Restarts of a live run in its current count (min-uptime resets it).',
      'gauge',
      perRun.restarts.values(),
    ),
    family(
      'runledger_run_cpu_seconds_total',
      "CPU time of a live run's whole process tree (its current attempt).",
      'counter',
      perRun.cpu.values(),
    ),
    family('runledger_run_memory_bytes', "Resident memory of a live run's whole process tree.", 'gauge', perRun.memory.values()),
    family(
      'runledger_run_memory_peak_bytes',
      "Highest resident memory sampled for a live run's tree (its current attempt).",
      'gauge',
      perRun.peak.values(),
    ),
    family('runledger_run_processes', "Processes in a live run's tree.", 'gauge', perRun.processes.values()),
    counter('runledger_ledger_appends_total', 'Ledger appends since the daemon started.', m.appends),
    counter('runledger_ledger_events_appended_total', 'Events appended since the daemon started.', m.events),
    counter('runledger_ledger_append_failures_total', 'Ledger appends that failed since the daemon started.', m.failures),
    histogram('runledger_ledger_append_duration_seconds', 'Time from an append call to its durable answer.', m),
    gauge('runledger_ledger_head_position', 'Position of the last event in the ledger.', [{ labels: {}, value: input.headPosition }]),
    gauge('runledger_daemon_resident_memory_bytes', "The daemon's resident set size.", [{ labels: {}, value: input.daemon.rssBytes }]),
    gauge('runledger_daemon_heap_used_bytes', "The daemon's V8 heap in use.", [{ labels: {}, value: input.daemon.heapUsedBytes }]),
    counter('runledger_daemon_cpu_seconds_total', "The daemon's own CPU time (user + system).", input.daemon.cpuSeconds),
    gauge('runledger_daemon_start_time_seconds', 'When the daemon process started (Unix time).', [
      { labels: {}, value: input.daemon.startTimeSeconds },
    ]),
  ];
}

function runLabels(run: RunState, withId: boolean): Record<string, string> {
  const labels: Record<string, string> = {
    name: run.spec.name,
    stack: run.spec.labels['runledger.stack'] ?? '',
    slot: run.spec.slot ?? '',
  };
  if (withId) labels.run_id = run.id;
  return labels;
}

/** Values by label set, summed when two runs share one. */
class Series {
  private readonly map = new Map<string, MetricValue>();
  add(labels: Record<string, string>, value: number): void {
    const key = JSON.stringify(labels);
    const found = this.map.get(key);
    if (found) found.value += value;
    else this.map.set(key, { labels, value });
  }
  values(): MetricValue[] {
    return [...this.map.values()];
  }
}

function family(name: string, help: string, type: MetricFamily['type'], values: MetricValue[]): MetricFamily {
  return { name, help, type, values };
}

function gauge(name: string, help: string, values: MetricValue[]): MetricFamily {
  return family(name, help, 'gauge', values);
}

function counter(name: string, help: string, value: number): MetricFamily {
  return family(name, help, 'counter', [{ labels: {}, value }]);
}

function histogram(name: string, help: string, m: AppendMeter): MetricFamily {
  const values: MetricValue[] = APPEND_BUCKETS.map((le, i) => ({ labels: { le }, value: m.buckets[i]!, metricName: `${name}_bucket` }));
  values.push({ labels: { le: '+Inf' }, value: m.count, metricName: `${name}_bucket` });
  values.push({ labels: {}, value: m.sum, metricName: `${name}_sum` });
  values.push({ labels: {}, value: m.count, metricName: `${name}_count` });
  return family(name, help, 'histogram', values);
}
