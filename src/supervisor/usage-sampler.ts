/**
 * CPU and memory of every live attempt's tree, sampled every `everyMs` and
 * on demand (metrics, `ps`), so that the exit event can carry the tree's
 * peak RSS and CPU time (nobody can measure a tree once it is gone) and the
 * daemon can say what a live run uses now. Memory only: the ledger gets the
 * result once, in ProcessExited. CPU is kept as the highest value seen, so
 * it never goes down when a member is reaped outside the tree; CPU% is the
 * CPU time between the last two samples over the wall time between them.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { AttemptUsage } from '../events/schemas.js';
import { isActive, liveAttempt, type AttemptState, type RunState } from '../projections/run-state.js';
import type { RuntimeAdapter, TreeUsage } from '../runtime/adapter.js';
import { refOf } from './attempt-ref.js';

/** How soon an attempt gets its first sample. */
const NEW_ATTEMPT_MS = 1000;

export interface UsageSample {
  attempt: number;
  cpuSeconds: number;
  rssBytes: number;
  peakRssBytes: number;
  /** Percent of one core over the last sampling interval; null until two samples exist. */
  cpuPercent: number | null;
  processes: number;
  source: 'cgroup' | 'proc';
  /** When it was taken (ms). */
  at: number;
}

export interface UsageSource {
  clock: Clock;
  runtimeOf(run: RunState, attempt?: AttemptState): RuntimeAdapter;
  runs(): Iterable<RunState>;
}

export class UsageSampler {
  private readonly latest = new Map<string, UsageSample>();
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly source: UsageSource,
    private readonly everyMs: number,
  ) {}

  /**
   * Every second, measure the attempts that have no sample yet (so a new run
   * shows numbers at once, and a short one still gets some); every `everyMs`, all of them.
   */
  start(): void {
    const step = Math.min(NEW_ATTEMPT_MS, this.everyMs);
    let lastFull = this.source.clock.now();
    const tick = () => {
      if (this.stopped) return;
      const now = this.source.clock.now();
      const full = now - lastFull >= this.everyMs;
      if (full) lastFull = now;
      void this.sampleLive(full)
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) this.timer = this.source.clock.setTimer(step, tick);
        });
    };
    this.timer = this.source.clock.setTimer(step, tick);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Sample every live attempt now; answers the run id -> sample of each. */
  async sampleAll(): Promise<Map<string, UsageSample>> {
    return this.sampleLive(true);
  }

  /** Sample the live attempts (`all`, or only those never sampled) and forget the ones that ended. */
  private async sampleLive(all: boolean): Promise<Map<string, UsageSample>> {
    const live = [...this.source.runs()].filter(isActive).flatMap((run) => {
      const a = liveAttempt(run);
      return a && a.pid !== null ? [{ run, a }] : [];
    });
    const due = all ? live : live.filter(({ run, a }) => !this.latest.has(key(run.id, a.n)));
    await Promise.all(due.map(({ run, a }) => this.sample(run, a)));
    const current = new Set(live.map(({ run, a }) => key(run.id, a.n)));
    // Attempts that ended without passing through final() (e.g. recovered by reconcile) are forgotten here.
    for (const k of this.latest.keys()) if (!current.has(k)) this.latest.delete(k);
    return this.byRun();
  }

  /** The latest sample of each run's live attempt. */
  byRun(): Map<string, UsageSample> {
    const out = new Map<string, UsageSample>();
    for (const [k, s] of this.latest) out.set(k.slice(0, k.lastIndexOf('/')), s);
    return out;
  }

  /** The attempt ended: one last look (a cgroup still has its accounting), then what goes into its exit event. */
  async final(run: RunState, a: AttemptState): Promise<AttemptUsage | undefined> {
    const k = key(run.id, a.n);
    // Only a cgroup still knows anything once the leader is gone; the /proc fallback would scan for an empty tree.
    if (a.pid !== null && this.latest.get(k)?.source !== 'proc') await this.sample(run, a);
    const s = this.latest.get(k);
    this.latest.delete(k);
    if (!s) return undefined;
    return { cpuSeconds: Math.round(s.cpuSeconds * 1000) / 1000, peakRssBytes: s.peakRssBytes, source: s.source };
  }

  private async sample(run: RunState, a: AttemptState): Promise<void> {
    const runtime = this.source.runtimeOf(run, a);
    if (!runtime.usage) return;
    const now = this.source.clock.now();
    let u: TreeUsage;
    try {
      u = await runtime.usage(refOf(run, a));
    } catch {
      return;
    }
    const k = key(run.id, a.n);
    const prev = this.latest.get(k);
    // An empty tree tells nothing in the /proc fallback (its time left with it): keep what was seen, never record zeros.
    if (u.processes === 0 && u.source === 'proc') return;
    this.latest.set(k, nextSample(prev, u, a.n, now));
  }
}

/** Pure: fold one measurement into the attempt's running sample. */
export function nextSample(prev: UsageSample | undefined, u: TreeUsage, attempt: number, at: number): UsageSample {
  const cpuSeconds = Math.max(prev?.cpuSeconds ?? 0, u.cpuSeconds);
  const elapsed = prev ? (at - prev.at) / 1000 : 0;
  const cpuPercent = prev && elapsed > 0 ? Math.round(((cpuSeconds - prev.cpuSeconds) / elapsed) * 1000) / 10 : null;
  return {
    attempt,
    cpuSeconds,
    rssBytes: u.rssBytes,
    peakRssBytes: Math.max(prev?.peakRssBytes ?? 0, u.rssBytes, u.peakRssBytes ?? 0),
    cpuPercent,
    processes: u.processes,
    source: u.source,
    at,
  };
}

function key(runId: string, attempt: number): string {
  return `${runId}/${attempt}`;
}
