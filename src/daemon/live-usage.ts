/** The sampler's numbers as the API shows them (LiveUsage), keyed by run id. */
import type { UsageSample } from '../supervisor/usage-sampler.js';
import type { LiveUsage } from './api.js';

export function toLiveUsage(s: UsageSample): LiveUsage {
  return {
    attempt: s.attempt,
    cpuSeconds: Math.round(s.cpuSeconds * 1000) / 1000,
    cpuPercent: s.cpuPercent,
    rssBytes: s.rssBytes,
    peakRssBytes: s.peakRssBytes,
    processes: s.processes,
    source: s.source,
    at: new Date(s.at).toISOString(),
  };
}

/** Usage of the given runs only (the ones an answer lists). */
export function liveUsageOf(samples: Map<string, UsageSample>, runIds: Iterable<string>): Record<string, LiveUsage> {
  const out: Record<string, LiveUsage> = {};
  for (const id of runIds) {
    const s = samples.get(id);
    if (s) out[id] = toLiveUsage(s);
  }
  return out;
}
