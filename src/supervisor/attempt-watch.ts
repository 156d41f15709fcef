/**
 * Watches one live attempt on behalf of the supervisor: its exit (through
 * the runtime's shim record, so it works for adopted processes too), its
 * output (line protocol, ready line, stderr tail) and its readiness probes
 * under one deadline. It only observes and reports; the supervisor decides.
 */
import type { Subscription } from 'rxjs';
import type { Clock, TimerHandle } from '../clock.js';
import type { ReadyCheck } from '../events/schemas.js';
import type { ExitStatus, ProcessIdentity, RuntimeAdapter, ShimLostReport } from '../runtime/adapter.js';
import { describePortHolder } from '../runtime/port-owner.js';
import { capLine, capTail, TAIL_LINE_BYTES, TAIL_LINES } from '../events/evidence-caps.js';
import { parseProtocolLine } from './line-protocol.js';

export interface AttemptWatchHandlers {
  onExit(status: ExitStatus | undefined): void;
  onReady(via: 'line' | 'port' | 'socket' | 'protocol', detail?: string): void;
  onCheckpoint(checkpoint: unknown): void;
  /** The ready check failed: its deadline passed, or its port is held by a process outside the attempt. */
  onReadinessFailed(reason: 'timeout' | 'port-held', message: string): void;
  /** The shim died while the child lives; the exit wait goes on, watching the child directly. */
  onShimLost(report: ShimLostReport): void;
}

export interface AttemptWatchOptions {
  runtime: RuntimeAdapter;
  clock: Clock;
  runId: string;
  attempt: number;
  identity: ProcessIdentity;
  /** The attempt's shim, as ProcessSpawned recorded it. */
  shimPid?: number | undefined;
  /** Null, or already ready: no readiness checks. */
  ready: ReadyCheck | null;
  startedAtMs: number;
  /** Checkpoint lines already recorded for this attempt (an adopted attempt's log is re-read from the start). */
  skipCheckpoints: number;
  handlers: AttemptWatchHandlers;
}

const PROBE_INTERVAL_MS = 100;
/** How long an exit waits for the child's last output (a final ready line, checkpoint or stderr tail). */
const DRAIN_LIMIT_MS = 2000;

export class AttemptWatch {
  private readonly abort = new AbortController();
  private output?: Subscription;
  private timers: TimerHandle[] = [];
  private stderrTail: string[] = [];
  private pending = new Set<'line' | 'port' | 'socket'>();
  private readyReported = false;
  private skip: number;
  private stopped = false;
  private outputDone!: Promise<void>;

  constructor(private readonly o: AttemptWatchOptions) {
    this.skip = o.skipCheckpoints;
  }

  start(): void {
    const { runtime, runId, attempt, identity, ready } = this.o;
    if (ready) {
      if (ready.line !== undefined) this.pending.add('line');
      if (ready.port !== undefined) this.pending.add('port');
      if (ready.socket !== undefined) this.pending.add('socket');
      const remaining = this.o.startedAtMs + ready.timeoutMs - this.o.clock.now();
      this.timers.push(this.o.clock.setTimer(remaining, () => this.readinessDeadline()));
      if (this.pending.has('port') || this.pending.has('socket')) this.probeSoon(0);
    } else this.readyReported = true;
    const lineRe = ready?.line !== undefined ? new RegExp(ready.line) : null;
    let markDone!: () => void;
    this.outputDone = new Promise<void>((resolve) => (markDone = resolve));
    this.output = runtime.output(runId, attempt).subscribe({
      complete: markDone,
      next: ({ stream, line }) => {
        if (stream === 'stderr') {
          // Capped as captured: a child's 70 kB lines must never reach the permanent log whole.
          this.stderrTail.push(capLine(line, TAIL_LINE_BYTES));
          if (this.stderrTail.length > TAIL_LINES) this.stderrTail.shift();
        }
        const msg = parseProtocolLine(line);
        if (msg?.kind === 'ready') this.reportReady('protocol', line);
        else if (msg?.kind === 'checkpoint') {
          if (this.skip > 0) this.skip--;
          else this.o.handlers.onCheckpoint(msg.checkpoint);
        } else if (lineRe && this.pending.has('line') && lineRe.test(line)) this.satisfy('line', line);
      },
      error: markDone, // output is best effort: a vanished log must not break exit handling
    });
    const onShimLost = (report: ShimLostReport): void => {
      if (!this.abort.signal.aborted) this.o.handlers.onShimLost(report);
    };
    void runtime.waitExit(runId, attempt, identity, this.abort.signal, { shimPid: this.o.shimPid, onShimLost }).then(
      async (status) => {
        // Read the child's last lines before its exit is recorded, so they land first in the log.
        // A lost shim copied nothing since it died: there is nothing left to wait for.
        if (status?.fallback?.kind !== 'shim-lost') await this.drained();
        if (!this.abort.signal.aborted) this.o.handlers.onExit(status);
      },
      () => {
        if (!this.abort.signal.aborted) this.o.handlers.onExit(undefined);
      },
    );
  }

  /** Resolves when the output has been read to its end, or after DRAIN_LIMIT_MS. */
  private drained(): Promise<void> {
    let timer: TimerHandle | undefined;
    const limit = new Promise<void>((resolve) => (timer = this.o.clock.setTimer(DRAIN_LIMIT_MS, resolve)));
    return Promise.race([this.outputDone, limit]).finally(() => timer?.cancel());
  }

  /** The last stderr lines seen, within the evidence caps, for readiness failure reasons. */
  tail(): string[] {
    return capTail(this.stderrTail);
  }

  get isReady(): boolean {
    return this.readyReported;
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    this.output?.unsubscribe();
    for (const t of this.timers) t.cancel();
    this.timers = [];
  }

  /** Stop watching output and probes but keep waiting for the exit. */
  stopReadiness(): void {
    for (const t of this.timers) t.cancel();
    this.timers = [];
    this.pending.clear();
  }

  private satisfy(kind: 'line' | 'port' | 'socket', detail: string): void {
    this.pending.delete(kind);
    if (this.pending.size === 0) this.reportReady(kind, detail);
  }

  private reportReady(via: 'line' | 'port' | 'socket' | 'protocol', detail: string): void {
    if (this.readyReported || this.stopped) return;
    this.readyReported = true;
    this.stopReadiness();
    this.o.handlers.onReady(via, detail.slice(0, 200));
  }

  private readinessDeadline(): void {
    if (this.readyReported || this.stopped) return;
    const waiting = [...this.pending].join(', ');
    this.stopReadiness();
    this.o.handlers.onReadinessFailed('timeout', `not ready within ${this.o.ready!.timeoutMs}ms (waiting for ${waiting})`);
  }

  /**
   * Is the port held, and by whom? Where the runtime can tell, only a listener
   * of the attempt's own tree counts: an unrelated server already on the port
   * would otherwise make any command "ready" at once (issue 11, case 8).
   */
  private async probePort(port: number, host: string | undefined): Promise<boolean> {
    const { runtime, identity } = this.o;
    if (!runtime.portOwner) return runtime.probe({ port, ...(host ? { host } : {}) });
    const owner = await runtime.portOwner(port, host, identity).catch(() => ({ state: 'none' }) as const);
    if (owner.state === 'foreign' && !this.readyReported && !this.stopped) {
      this.stopReadiness();
      this.readyReported = true; // settled: no later probe or line may report ready for this attempt
      this.o.handlers.onReadinessFailed('port-held', describePortHolder(port, owner));
      return false;
    }
    return owner.state === 'ours' && (await runtime.probe({ port, ...(host ? { host } : {}) }));
  }

  private probeSoon(ms: number): void {
    this.timers.push(this.o.clock.setTimer(ms, () => void this.probe()));
  }

  private async probe(): Promise<void> {
    if (this.readyReported || this.stopped) return;
    const r = this.o.ready!;
    if (this.pending.has('port') && (await this.probePort(r.port!, r.host))) this.satisfy('port', `${r.host ?? '127.0.0.1'}:${r.port}`);
    if (this.pending.has('socket') && (await this.o.runtime.probe({ socket: r.socket! }))) this.satisfy('socket', r.socket!);
    if (!this.readyReported && !this.stopped && (this.pending.has('port') || this.pending.has('socket'))) this.probeSoon(PROBE_INTERVAL_MS);
  }
}
