/**
 * Probes one live attempt's health on the injected clock and reports each
 * result with the count of failures in a row; the driver asks decide-health
 * whether that changes anything. `HealthWatches` keeps one watch per run in
 * step with the run's state (started once the attempt is ready, or spawned
 * without a ready check, plus the start period; dropped when it is stopped
 * or gone), so an adopted attempt resumes probing from the log alone. The
 * count of failures in a row is in memory: after a daemon restart it starts
 * at zero, which can only delay a restart by a few probes, never cause one.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { HealthCheck, HealthProbeKind } from '../events/schemas.js';
import { liveAttempt, type RunState } from '../projections/run-state.js';
import type { HealthProbeResult, RuntimeAdapter } from '../runtime/adapter.js';
import type { HealthProbeFacts } from './decide-health.js';

export interface HealthWatchOptions {
  runtime: RuntimeAdapter;
  clock: Clock;
  runId: string;
  attempt: number;
  check: HealthCheck;
  cwd: string;
  /** When the first probe runs (ms since the epoch). */
  startAtMs: number;
  onResult(facts: HealthProbeFacts): void;
}

export function probeKindOf(check: HealthCheck): HealthProbeKind {
  return check.http ? 'http' : check.tcp ? 'tcp' : 'exec';
}

export class HealthWatch {
  private failures = 0;
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly o: HealthWatchOptions) {}

  start(): void {
    this.schedule(this.o.startAtMs - this.o.clock.now());
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private schedule(ms: number): void {
    if (!this.stopped) this.timer = this.o.clock.setTimer(Math.max(0, ms), () => void this.probe());
  }

  private async probe(): Promise<void> {
    const { runtime, clock, runId, attempt, check, cwd } = this.o;
    const began = clock.now();
    const result: HealthProbeResult = await runtime.healthProbe!({ runId, attempt, check, cwd }).catch((err: unknown) => ({
      ok: false,
      evidence: { error: String(err), durationMs: 0 },
    }));
    if (this.stopped) return;
    this.failures = result.ok ? 0 : this.failures + 1;
    this.o.onResult({ attempt, probe: probeKindOf(check), ok: result.ok, consecutiveFailures: this.failures, evidence: result.evidence });
    // Probes never overlap: a slow one delays the next instead of piling up.
    this.schedule(check.intervalMs - (clock.now() - began));
  }
}

/** One HealthWatch per run, kept in step with the run's state by `sync` (called after every change). */
export class HealthWatches {
  private watches = new Map<string, { attempt: number; watch: HealthWatch }>();

  constructor(
    private readonly clock: Clock,
    private readonly runtimeOf: (run: RunState) => RuntimeAdapter,
    private readonly onResult: (runId: string, facts: HealthProbeFacts) => void,
  ) {}

  sync(run: RunState): void {
    const wanted = this.attemptToProbe(run);
    const current = this.watches.get(run.id);
    if (current?.attempt === wanted) return;
    this.clear(run.id);
    const a = liveAttempt(run);
    const check = run.spec.health;
    if (wanted === null || !a || !check) return;
    const from = a.readyAt ?? a.startedAt!;
    const watch = new HealthWatch({
      runtime: this.runtimeOf(run),
      clock: this.clock,
      runId: run.id,
      attempt: a.n,
      check,
      cwd: run.spec.cwd,
      startAtMs: Date.parse(from) + check.startPeriodMs,
      onResult: (facts) => this.onResult(run.id, facts),
    });
    this.watches.set(run.id, { attempt: a.n, watch });
    watch.start();
  }

  clear(runId: string): void {
    this.watches.get(runId)?.watch.stop();
    this.watches.delete(runId);
  }

  clearAll(): void {
    for (const id of [...this.watches.keys()]) this.clear(id);
  }

  /** The live attempt, once ready (or spawned, without a ready check), unless a stop is under way. */
  private attemptToProbe(run: RunState): number | null {
    const a = liveAttempt(run);
    if (!run.spec.health || !a || a.startedAt === null || run.stop || run.readinessFailure) return null;
    if (run.spec.ready && !a.readyAt) return null;
    return this.runtimeOf(run).healthProbe ? a.n : null;
  }
}
