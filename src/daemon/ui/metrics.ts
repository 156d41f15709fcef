/**
 * GET /metrics: the Prometheus text format through prom-client (its
 * registry and exposition: escaping, number forms, histogram lines).
 * prom-client's default Node metrics are left out: three of its gauges end
 * in `_total`, which `promtool check metrics` rejects; the daemon's own
 * memory and CPU are in metric-families.ts instead. prom-client is imported
 * on the first scrape, never at daemon start. Each scrape measures live
 * trees afresh.
 */
import type { DaemonContext } from '../context.js';
import type { AppendMeter } from '../append-meter.js';
import { metricFamilies, type DaemonFacts, type MetricFamily } from './metric-families.js';

export interface MetricsEndpoint {
  contentType: string;
  text(): Promise<string>;
}

export async function createMetricsEndpoint(ctx: DaemonContext, meter: AppendMeter, runIdLabels: () => boolean): Promise<MetricsEndpoint> {
  const prom = await import('prom-client');
  const registry = new prom.Registry();
  let current: MetricFamily[] = [];
  const names = metricFamilies({ runs: [], usage: new Map(), meter, headPosition: 0, runIdLabels: false, daemon: daemonFacts() }).map(
    (f) => f.name,
  );
  names.forEach((name, i) => {
    // A metric as prom-client's registry sees one: a name and a get() answering the family of this scrape.
    registry.registerMetric({ name, get: async () => ({ ...current[i]!, aggregator: 'sum' }) } as never);
  });
  // One scrape at a time: each one's families are set before the registry reads them.
  let queue: Promise<unknown> = Promise.resolve();
  const scrape = async (): Promise<string> => {
    const usage = await ctx.supervisor.usage();
    const head = await ctx.store.head();
    current = metricFamilies({
      runs: ctx.supervisor.state.runs.values(),
      usage,
      meter,
      headPosition: head.position,
      runIdLabels: runIdLabels(),
      daemon: daemonFacts(),
    });
    return registry.metrics();
  };
  return {
    contentType: registry.contentType,
    text() {
      const next = queue.then(scrape, scrape);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

function daemonFacts(): DaemonFacts {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  return {
    rssBytes: mem.rss,
    heapUsedBytes: mem.heapUsed,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    startTimeSeconds: Math.round((Date.now() - process.uptime() * 1000) / 1000),
  };
}
