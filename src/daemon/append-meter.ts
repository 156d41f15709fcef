/**
 * Counts the daemon's ledger appends and how long each took, for /metrics.
 * Plain numbers kept from the daemon's start, so the metrics library is
 * loaded only when someone asks for metrics; the store is wrapped (like
 * the anchors) rather than taught about metrics.
 */
import type { EventStore } from '../store/event-store.js';

/** Upper bounds (seconds) of the append latency histogram: a synced LevelDB batch takes ~1-20 ms. */
export const APPEND_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

export class AppendMeter {
  appends = 0;
  events = 0;
  failures = 0;
  /** Cumulative counts per bucket of APPEND_BUCKETS (Prometheus `le` semantics), then the sum and count of all. */
  readonly buckets: number[] = APPEND_BUCKETS.map(() => 0);
  sum = 0;
  count = 0;

  observe(seconds: number, events: number, ok: boolean): void {
    if (!ok) {
      this.failures++;
      return;
    }
    this.appends++;
    this.events += events;
    this.sum += seconds;
    this.count++;
    APPEND_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.buckets[i]!++;
    });
  }
}

/** The store, with every append timed into `meter` (from call to durable answer, group commit wait included). */
export function meterAppends<S extends EventStore>(store: S, meter: AppendMeter): S {
  const append: EventStore['append'] = async (streamId, events, options) => {
    const started = performance.now();
    try {
      const result = await store.append(streamId, events, options);
      meter.observe((performance.now() - started) / 1000, result.duplicate ? 0 : result.events.length, true);
      return result;
    } catch (err) {
      meter.observe((performance.now() - started) / 1000, 0, false);
      throw err;
    }
  };
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'append') return append;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
