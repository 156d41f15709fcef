/**
 * Virtual time for the simulator. Timers fire in due order (creation order
 * breaks ties), and between two timers every pending promise chain is
 * drained, so the supervisor's awaits (store appends, runtime calls) settle
 * exactly as if the time in between had really passed — deterministically.
 */
import type { Clock, TimerHandle } from '../clock.js';

interface SimTimer {
  due: number;
  seq: number;
  fn: () => void;
  owner: ClockView | null;
}

/** Drain microtasks and immediates: the simulated world only ever waits on these. */
export async function settle(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class SimClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: SimTimer[] = [];

  constructor(startMs = Date.UTC(2025, 0, 1)) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    return this.add(ms, fn, null);
  }

  /** @internal used by ClockView */
  add(ms: number, fn: () => void, owner: ClockView | null): TimerHandle {
    const timer: SimTimer = { due: this.t + Math.max(0, Number.isFinite(ms) ? ms : 0), seq: this.seq++, fn, owner };
    this.timers.push(timer);
    return { cancel: () => this.remove(timer) };
  }

  /** A clock whose timers all vanish at once when it is killed (a crashed supervisor's). */
  view(): ClockView {
    return new ClockView(this);
  }

  /** @internal */
  dropOwner(owner: ClockView): void {
    this.timers = this.timers.filter((t) => t.owner !== owner);
  }

  /** Move time forward by `ms`, firing every timer that falls due, in order, settling after each. */
  async advance(ms: number): Promise<void> {
    const target = this.t + Math.max(0, ms);
    await settle();
    for (let next = this.nextDue(target); next; next = this.nextDue(target)) {
      this.remove(next);
      this.t = Math.max(this.t, next.due);
      next.fn();
      await settle();
    }
    this.t = target;
    await settle();
  }

  /** Due time of the earliest pending timer, if any. */
  get nextTimerAt(): number | undefined {
    return this.nextDue(Infinity)?.due;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  private nextDue(limit: number): SimTimer | undefined {
    let best: SimTimer | undefined;
    for (const t of this.timers) {
      if (t.due > limit) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }

  private remove(timer: SimTimer): void {
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.timers.splice(i, 1);
  }
}

/** One owner's window on the shared clock. */
export class ClockView implements Clock {
  private dead = false;
  constructor(private readonly base: SimClock) {}

  now(): number {
    return this.base.now();
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    if (this.dead) return { cancel: () => undefined };
    return this.base.add(ms, fn, this);
  }

  /** Cancel every timer of this view and refuse new ones. */
  kill(): void {
    this.dead = true;
    this.base.dropOwner(this);
  }
}
