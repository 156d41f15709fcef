/**
 * A fake kernel process table: pids from a deliberately small range so they
 * are recycled quickly, kernel start times from the virtual clock, a boot
 * id that changes on reboot, process groups, zombies, and signal
 * dispositions. It knows nothing of runs; the simulated shim (sim-host.ts)
 * gives processes their meaning.
 */
import type { Clock } from '../clock.js';

export type ProcessRole = 'shim' | 'leader' | 'grandchild' | 'foreign';

export interface SimProcess {
  pid: number;
  ppid: number;
  pgid: number;
  /** Ticks since boot, as the kernel reports it: never equal for two processes of one boot. */
  startTime: string;
  bootId: string;
  /** 'dead' once reaped: the pid is free again, this object never comes back to life. */
  state: 'alive' | 'zombie' | 'dead';
  role: ProcessRole;
  /** `runId/attempt` for our processes, `foreign` for the rest of the machine. */
  owner: string;
  /** SIGTERM, SIGINT and SIGHUP are ignored (SIGKILL never is). */
  ignoreTerm: boolean;
  /** A parent that never calls wait() leaves its dead children as zombies. */
  reaps: boolean;
}

export interface ExitNotice {
  proc: SimProcess;
  exitCode: number | null;
  signal: string | null;
}

export interface SpawnOptions {
  ppid: number;
  /** 'new' makes the process leader of its own group (setsid/setpgid). */
  pgid: number | 'new';
  role: ProcessRole;
  owner: string;
  ignoreTerm?: boolean;
  reaps?: boolean;
}

const TERM_SIGNALS = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT']);
const INIT_PID = 1;

export class SimProcessTable {
  readonly procs = new Map<number, SimProcess>();
  bootId: string;
  private bootCount = 1;
  private bootAtMs: number;
  private lastPid: number;
  private lastStart = 0;
  private exitListeners: ((n: ExitNotice) => void)[] = [];
  private changeListeners = new Set<() => void>();

  constructor(
    private readonly clock: Clock,
    readonly pidRange: { min: number; max: number } = { min: 300, max: 339 },
  ) {
    this.bootId = 'sim-boot-1';
    this.bootAtMs = clock.now();
    this.lastPid = pidRange.max;
  }

  /** Allocate the next free pid after the last one, wrapping, skipping pids in use as a pid or a pgid (as Linux does). */
  spawn(opts: SpawnOptions): SimProcess {
    const pid = this.allocatePid();
    const ticks = Math.max(this.lastStart + 1, this.clock.now() - this.bootAtMs);
    this.lastStart = ticks;
    const proc: SimProcess = {
      pid,
      ppid: opts.ppid,
      pgid: opts.pgid === 'new' ? pid : opts.pgid,
      startTime: String(ticks),
      bootId: this.bootId,
      state: 'alive',
      role: opts.role,
      owner: opts.owner,
      ignoreTerm: opts.ignoreTerm ?? false,
      reaps: opts.reaps ?? true,
    };
    this.procs.set(pid, proc);
    this.changed();
    return proc;
  }

  get(pid: number): SimProcess | undefined {
    return this.procs.get(pid);
  }

  isAlive(p: SimProcess | undefined): boolean {
    return p !== undefined && p.state === 'alive';
  }

  /** Live, non-zombie members of a group. */
  members(pgid: number): SimProcess[] {
    return [...this.procs.values()].filter((p) => p.pgid === pgid && p.state === 'alive');
  }

  /** Who kill(target) would reach: a pid, or every process (zombies too) of group -target. */
  targets(target: number): SimProcess[] {
    return target < 0
      ? [...this.procs.values()].filter((p) => p.pgid === -target)
      : [this.procs.get(target)].filter((p): p is SimProcess => p !== undefined);
  }

  /** kill(2): a positive target is one pid, a negative one a group. Returns who was reached; ESRCH as an empty list. */
  kill(target: number, signal: string): SimProcess[] {
    const reached = this.targets(target);
    for (const p of reached) {
      if (p.state !== 'alive') continue;
      if (signal === 'SIGKILL' || (TERM_SIGNALS.has(signal) && !p.ignoreTerm)) this.exit(p.pid, null, signal);
    }
    return reached;
  }

  /** The process ends (by itself with a code, or by a signal). */
  exit(pid: number, exitCode: number | null, signal: string | null): void {
    const p = this.procs.get(pid);
    if (!p || p.state !== 'alive') return;
    const parent = this.procs.get(p.ppid);
    if (parent && parent.state === 'alive' && !parent.reaps) p.state = 'zombie';
    else this.reap(p);
    // Orphans go to init, which reaps at once.
    for (const c of [...this.procs.values()]) {
      if (c.ppid !== pid) continue;
      if (c.state === 'zombie') this.reap(c);
      else c.ppid = INIT_PID;
    }
    for (const l of this.exitListeners) l({ proc: p, exitCode, signal });
    this.changed();
  }

  /** Every process vanishes (no shim survives to write anything); the boot id changes. */
  reboot(): void {
    for (const p of this.procs.values()) p.state = 'dead';
    this.procs.clear();
    this.bootCount += 1;
    this.bootId = `sim-boot-${this.bootCount}`;
    this.bootAtMs = this.clock.now();
    this.lastStart = 0;
    this.changed();
  }

  onExit(listener: (n: ExitNotice) => void): void {
    this.exitListeners.push(listener);
  }

  /** Called after every change; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(): void {
    for (const l of [...this.changeListeners]) l();
  }

  private reap(p: SimProcess): void {
    p.state = 'dead';
    this.procs.delete(p.pid);
  }

  private allocatePid(): number {
    const { min, max } = this.pidRange;
    const inUse = new Set<number>();
    for (const p of this.procs.values()) {
      inUse.add(p.pid);
      inUse.add(p.pgid);
    }
    for (let i = 1; i <= max - min + 1; i++) {
      const pid = min + ((this.lastPid - min + i) % (max - min + 1));
      if (!inUse.has(pid)) {
        this.lastPid = pid;
        return pid;
      }
    }
    throw Object.assign(new Error('EAGAIN: no free pid'), { code: 'EAGAIN' });
  }
}
