/**
 * The simulator's RuntimeAdapter over a SimHost. It keeps the real
 * adapters' rules (identity checked before every signal, mismatch never
 * signalled, a group whose leader died still reachable while only our
 * members remain, exit status from the shim's record) so the supervisor
 * cannot tell it from the real thing. One instance per supervisor
 * incarnation: once its session is dead (a crash), every call hangs forever,
 * as calls into a killed process would.
 */
import { constants } from 'node:os';
import { Observable } from 'rxjs';
import type {
  AttemptRef,
  TrackingReport,
  TreeMember,
  ExitStatus,
  HealthProbeRequest,
  HealthProbeResult,
  Observation,
  OutputLine,
  ProbeTarget,
  ProcessIdentity,
  RuntimeAdapter,
  ShimLostReport,
  SignalOutcome,
  SpawnRequest,
  SpawnedProcess,
  WaitExitHooks,
} from '../runtime/adapter.js';
import { shimLostExit } from '../runtime/shim-loss.js';
import { attemptKey, type SimHost } from './sim-host.js';

/** Where an incarnation may crash: before or after an effect takes place. */
export type IoGate = (op: string) => 'proceed' | 'crash-before' | 'crash-after';

export interface SimSession {
  readonly label: string;
  readonly dead: boolean;
  /** Ask before each effect (spawn, signal); the world may crash here. */
  gate: IoGate;
  crash(): void;
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

export class SimRuntime implements RuntimeAdapter {
  readonly kind = 'sim' as const;
  private closed = false;
  private waiting = new Set<() => void>();

  constructor(
    readonly host: SimHost,
    private readonly session: SimSession,
  ) {}

  async spawn(req: SpawnRequest): Promise<SpawnedProcess> {
    await this.tick();
    const spawned = await this.effect('spawn', () => this.host.spawn(req));
    return spawned;
  }

  /** Like the shim's child.json: the facts an earlier spawn of this attempt left behind. */
  async discover(runId: string, attempt: number): Promise<SpawnedProcess | undefined> {
    await this.tick();
    return this.host.discover(runId, attempt);
  }

  async signal(identity: ProcessIdentity, signal: string, target: 'group' | 'process'): Promise<SignalOutcome> {
    if (!(signal in constants.signals)) throw new TypeError(`unknown signal ${JSON.stringify(signal)}`);
    await this.tick();
    const check = this.host.check(identity);
    if (check.state === 'reused') return this.record(identity, signal, target, 'mismatch', []);
    if (check.state === 'gone' && (target === 'process' || !this.groupOutlivedLeader(identity)))
      return this.record(identity, signal, target, 'gone', []);
    return this.effect(`signal ${signal}`, () => {
      const pid = target === 'group' ? -identity.pgid : identity.pid;
      const before = this.host.table.targets(pid).map((p) => ({ pid: p.pid, owner: p.owner, role: p.role, state: p.state }));
      const reached = this.host.table.kill(pid, signal);
      return this.record(identity, signal, target, reached.length > 0 ? 'sent' : 'gone', before);
    });
  }

  async inspect(runId: string, attempt: number, identity: ProcessIdentity): Promise<Observation> {
    await this.tick();
    const { state, proc } = this.host.check(identity);
    if (state === 'alive') return { state, observed: this.host.identityOf(proc!) };
    if (state === 'reused') return { state, observed: { pid: identity.pid, startTime: proc!.startTime, bootId: this.host.table.bootId } };
    const observed = { pid: identity.pid, zombie: proc?.state === 'zombie' };
    const exit = this.host.exitRecord(runId, attempt, identity);
    return exit ? { state: 'gone', exit, observed } : { state: 'gone', observed };
  }

  waitExit(
    runId: string,
    attempt: number,
    identity: ProcessIdentity,
    signal?: AbortSignal,
    hooks: WaitExitHooks = {},
  ): Promise<ExitStatus | undefined> {
    if (this.session.dead) return never();
    return new Promise((resolve) => {
      let done = false;
      // Like the real exit wait: a shim dead while its child lives is reported once; the child is then watched alone.
      let lost: ShimLostReport | undefined;
      const at = (): string => new Date(this.host.clock.now()).toISOString();
      const finish = (value: ExitStatus | undefined): void => {
        if (done) return;
        done = true;
        off();
        this.waiting.delete(check);
        signal?.removeEventListener('abort', onAbort);
        // A dead incarnation hears nothing more.
        if (!this.session.dead) resolve(value);
      };
      const check = (): void => {
        if (done) return;
        if (this.session.dead) return finish(undefined);
        if (signal?.aborted || this.closed) return finish(undefined);
        const shim = this.host.attempts.get(attemptKey(runId, attempt))?.shim;
        if (!lost && shim && !this.host.table.isAlive(shim) && this.host.check(identity).state === 'alive') {
          lost = { shimPid: shim.pid, childPid: identity.pid, evidence: { shimState: 'gone', checkedAt: at() } };
          hooks.onShimLost?.(lost);
        }
        if (!this.host.exitSettled(runId, attempt, identity)) return;
        const record = this.host.exitRecord(runId, attempt, identity);
        finish(record ?? (lost ? shimLostExit(lost, at()) : undefined));
      };
      const onAbort = (): void => finish(undefined);
      signal?.addEventListener('abort', onAbort, { once: true });
      const off = this.host.onChange(() => queueMicrotask(check));
      this.waiting.add(check);
      queueMicrotask(check);
    });
  }

  async groupAlive(pgid: number): Promise<boolean> {
    await this.tick();
    return this.host.table.members(pgid).length > 0;
  }

  /** The simulated world has no cgroups: a tree is its process group. */
  signalTree(ref: AttemptRef, signal: string): Promise<SignalOutcome> {
    return this.signal(ref.identity, signal, 'group');
  }

  async listTree(ref: AttemptRef): Promise<TreeMember[]> {
    await this.tick();
    return this.host.table.members(ref.identity.pgid).map((p) => ({ pid: p.pid, command: p.role }));
  }

  async releaseTree(): Promise<void> {}

  tracking(): TrackingReport {
    return { mode: 'process-group', detail: 'simulated processes' };
  }

  output(runId: string, attempt: number): Observable<OutputLine> {
    return new Observable<OutputLine>((subscriber) => {
      let next = 0;
      const pump = (): void => {
        if (subscriber.closed || this.session.dead) return;
        const a = this.host.attempts.get(attemptKey(runId, attempt));
        if (!a) return;
        while (next < a.lines.length && !subscriber.closed && !this.session.dead) subscriber.next(a.lines[next++]!);
        if (!this.host.table.isAlive(a.leader) && !subscriber.closed) subscriber.complete();
      };
      const off = this.host.onChange(() => queueMicrotask(pump));
      queueMicrotask(pump);
      return off;
    });
  }

  async probe(target: ProbeTarget): Promise<boolean> {
    if (target.socket === undefined && target.port === undefined) throw new TypeError('probe needs a port or a socket');
    await this.tick();
    return target.port !== undefined && this.host.isListening(target.port);
  }

  async healthProbe(req: HealthProbeRequest): Promise<HealthProbeResult> {
    await this.tick();
    const kind = req.check.http ? 'http' : req.check.tcp ? 'tcp' : 'exec';
    return this.host.healthProbe(req.runId, req.attempt, kind);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.waiting]) wake();
  }

  /** A crashed incarnation never gets an answer. */
  private async tick(): Promise<void> {
    await Promise.resolve();
    if (this.session.dead) await never();
  }

  private async effect<T>(op: string, act: () => T): Promise<T> {
    const gate = this.session.gate(op);
    if (gate === 'crash-before') {
      this.session.crash();
      return never();
    }
    const result = act();
    if (gate === 'crash-after') {
      this.session.crash();
      return never();
    }
    await this.tick();
    return result;
  }

  private groupOutlivedLeader(identity: ProcessIdentity): boolean {
    if (this.host.table.bootId !== identity.bootId) return false;
    const members = this.host.table.members(identity.pgid);
    const leaderStart = BigInt(identity.startTime);
    return members.length > 0 && members.every((m) => BigInt(m.startTime) >= leaderStart);
  }

  private record(
    identity: ProcessIdentity,
    signal: string,
    target: 'group' | 'process',
    outcome: SignalOutcome,
    reached: { pid: number; owner: string; role: string; state: string }[],
  ): SignalOutcome {
    this.host.deliveries.push({
      atMs: this.host.clock.now(),
      by: this.session.label,
      identity,
      signal,
      target,
      outcome,
      expectedOwner: this.host.ownerOf(identity),
      reached,
    });
    return outcome;
  }
}
