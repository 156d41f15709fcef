/**
 * The timers of each run (timeout, escalation, restart), keyed by kind.
 * Arming is idempotent: a timer already armed for the same due time is kept,
 * one whose due time changed (e.g. a forced stop moves the escalation) is
 * replaced. The due time is absolute, also when it already passed.
 */
import type { Clock, TimerHandle } from '../clock.js';

export type TimerKind = 'timeout' | 'escalate' | 'restart';

export class RunTimers {
  private timers = new Map<string, Map<TimerKind, { handle: TimerHandle; due: number }>>();

  constructor(private readonly clock: Clock) {}

  set(runId: string, kind: TimerKind, ms: number, fn: () => void): void {
    let forRun = this.timers.get(runId);
    if (!forRun) this.timers.set(runId, (forRun = new Map()));
    const due = this.clock.now() + ms;
    const existing = forRun.get(kind);
    if (existing && existing.due === due) return;
    existing?.handle.cancel();
    const entry = {
      due,
      handle: this.clock.setTimer(Math.max(0, ms), () => {
        if (forRun.get(kind) === entry) forRun.delete(kind);
        fn();
      }),
    };
    forRun.set(kind, entry);
  }

  cancel(runId: string, kind: TimerKind): void {
    const forRun = this.timers.get(runId);
    forRun?.get(kind)?.handle.cancel();
    forRun?.delete(kind);
  }

  clear(runId: string): void {
    for (const t of this.timers.get(runId)?.values() ?? []) t.handle.cancel();
    this.timers.delete(runId);
  }

  clearAll(): void {
    for (const id of [...this.timers.keys()]) this.clear(id);
  }
}
