/**
 * The simulated machine under the supervisor: the process table, the
 * exit-status shim of every attempt with the files it leaves (child record,
 * exit record, logs) and the ports children listen on. It outlives any one
 * supervisor, as the real machine outlives a crashed daemon.
 */
import { isoTime } from '../clock.js';
import { RunledgerError } from '../errors.js';
import type {
  ExitStatus,
  HealthProbeResult,
  OutputLine,
  ProcessIdentity,
  SignalOutcome,
  SpawnRequest,
  SpawnedProcess,
} from '../runtime/adapter.js';
import type { SimClock } from './sim-clock.js';
import { SimProcessTable, type SimProcess } from './process-table.js';
import { parseSimScript, type SimScript } from './script.js';

export interface SimAttempt {
  key: string;
  shim: SimProcess;
  leader: SimProcess;
  grandchild: SimProcess | null;
  /** The shim's exit record; survives every supervisor crash. */
  exit: (ExitStatus & { pid: number }) | null;
  lines: OutputLine[];
  spawnedAtMs: number;
  unhealthy: SimScript['unhealthy'];
}

/** One health probe the world answered, for the health invariants. */
export interface SimProbe {
  key: string;
  atMs: number;
  ok: boolean;
}

/** One signal delivery, with the identity checked before it (for the "never signal a stranger" invariant). */
export interface SignalDelivery {
  atMs: number;
  by: string;
  identity: ProcessIdentity;
  signal: string;
  target: 'group' | 'process';
  outcome: SignalOutcome;
  /** The attempt whose leader the identity names, if any. */
  expectedOwner: string | null;
  reached: { pid: number; owner: string; role: string; state: string }[];
}

export type IdentityState = 'alive' | 'gone' | 'reused';

export const attemptKey = (runId: string, attempt: number): string => `${runId}/${attempt}`;

export class SimHost {
  readonly table: SimProcessTable;
  readonly attempts = new Map<string, SimAttempt>();
  readonly deliveries: SignalDelivery[] = [];
  /** Things the supervisor must never do to a machine. */
  readonly violations: string[] = [];
  /** Attempts spawned a second time (the first spawn was never recorded): a known crash window. */
  readonly respawned: string[] = [];
  private ports = new Map<number, SimProcess>();
  /** Every health probe answered, in order. */
  readonly probes: SimProbe[] = [];

  constructor(
    readonly clock: SimClock,
    pidRange?: { min: number; max: number },
  ) {
    this.table = new SimProcessTable(clock, pidRange);
    // The shim reaps its child and writes exit.json, then exits itself.
    this.table.onExit(({ proc, exitCode, signal }) => {
      if (proc.role !== 'leader') return;
      const a = this.attempts.get(proc.owner);
      if (!a || a.leader !== proc || !this.table.isAlive(a.shim)) return;
      a.exit = { pid: proc.pid, exitCode, signal, exitedAt: isoTime(clock.now()) };
      this.table.exit(a.shim.pid, 0, null);
    });
  }

  /** Start one attempt: shim first, then the child in a new group (and its grandchild). */
  spawn(req: SpawnRequest): SpawnedProcess {
    const script = parseSimScript(req.command, req.args);
    if (!script) throw new RunledgerError('SPAWN_FAILED', `command not found: ${req.command}`, { command: req.command });
    const key = attemptKey(req.runId, req.attempt);
    const earlier = this.attempts.get(key);
    if (earlier) {
      // A spawn whose ProcessSpawned never reached the ledger (crash or LEDGER_IO between the two)
      // and a later supervisor spawning the same attempt again: a real runtime would reuse the
      // attempt dir. The earlier processes live on as orphans nobody knows about.
      this.respawned.push(key);
      for (const p of [earlier.shim, earlier.leader, earlier.grandchild]) if (p) p.owner = `${p.owner}~orphan`;
    }
    const shim = this.table.spawn({ ppid: 1, pgid: 'new', role: 'shim', owner: `shim:${key}` });
    const leader = this.table.spawn({
      ppid: shim.pid,
      pgid: 'new',
      role: 'leader',
      owner: key,
      ignoreTerm: script.ignoreTerm,
      reaps: script.zombieAfterMs === null,
    });
    const grandchild = script.grandchild
      ? this.table.spawn({ ppid: leader.pid, pgid: leader.pgid, role: 'grandchild', owner: key, ignoreTerm: script.grandchild.ignoreTerm })
      : null;
    const a: SimAttempt = {
      key,
      shim,
      leader,
      grandchild,
      exit: null,
      lines: [],
      spawnedAtMs: this.clock.now(),
      unhealthy: script.unhealthy,
    };
    this.attempts.set(key, a);
    this.runScript(a, script);
    const rel = `runs/${req.runId}/${req.attempt}`;
    return { identity: this.identityOf(leader), shimPid: shim.pid, logs: { stdout: `${rel}/stdout.log`, stderr: `${rel}/stderr.log` } };
  }

  /**
   * The attempt's processes if one was ever spawned (the shim's child.json survives us, and a
   * reboot): one from an earlier boot is reported too, so it is recorded and found gone.
   */
  discover(runId: string, attempt: number): SpawnedProcess | undefined {
    const a = this.attempts.get(attemptKey(runId, attempt));
    if (!a) return undefined;
    const rel = `runs/${runId}/${attempt}`;
    return { identity: this.identityOf(a.leader), shimPid: a.shim.pid, logs: { stdout: `${rel}/stdout.log`, stderr: `${rel}/stderr.log` } };
  }

  identityOf(p: SimProcess): ProcessIdentity {
    return { pid: p.pid, pgid: p.pgid, startTime: p.startTime, bootId: p.bootId };
  }

  /** As /proc would say: is this identity's process alive (a zombie is gone), gone, or someone else now? */
  check(identity: ProcessIdentity): { state: IdentityState; proc: SimProcess | undefined } {
    const proc = this.table.get(identity.pid);
    if (!proc || proc.state !== 'alive') return { state: 'gone', proc };
    if (this.table.bootId !== identity.bootId || proc.startTime !== identity.startTime) return { state: 'reused', proc };
    return { state: 'alive', proc };
  }

  /** The attempt whose leader had exactly this identity. */
  ownerOf(identity: ProcessIdentity): string | null {
    for (const a of this.attempts.values()) {
      const l = a.leader;
      if (l.pid === identity.pid && l.startTime === identity.startTime && l.bootId === identity.bootId) return a.key;
    }
    return null;
  }

  exitRecord(runId: string, attempt: number, identity: ProcessIdentity): ExitStatus | undefined {
    const rec = this.attempts.get(attemptKey(runId, attempt))?.exit;
    if (!rec || rec.pid !== identity.pid) return undefined;
    return { exitCode: rec.exitCode, signal: rec.signal, exitedAt: rec.exitedAt };
  }

  /** Can an exit record for this attempt still appear? Not once the child is gone and its shim too. */
  exitSettled(runId: string, attempt: number, identity: ProcessIdentity): boolean {
    if (this.exitRecord(runId, attempt, identity)) return true;
    if (this.check(identity).state === 'alive') return false;
    const a = this.attempts.get(attemptKey(runId, attempt));
    return !a || !this.table.isAlive(a.shim);
  }

  isListening(port: number): boolean {
    return this.table.isAlive(this.ports.get(port));
  }

  /** A fake probe: healthy while the attempt's leader lives outside its script's unhealthy window. */
  healthProbe(runId: string, attempt: number, kind: 'http' | 'tcp' | 'exec'): HealthProbeResult {
    const key = attemptKey(runId, attempt);
    const a = this.attempts.get(key);
    const since = a ? this.clock.now() - a.spawnedAtMs : 0;
    const w = a?.unhealthy;
    const ok = !!a && this.table.isAlive(a.leader) && !(w && since >= w.fromMs && (w.toMs === null || since < w.toMs));
    this.probes.push({ key, atMs: this.clock.now(), ok });
    if (ok) return { ok, evidence: { ...(kind === 'http' ? { status: 200 } : kind === 'exec' ? { exitCode: 0 } : {}), durationMs: 0 } };
    if (kind === 'http') return { ok, evidence: { status: 503, output: ['unhealthy (simulated)'], durationMs: 0 } };
    if (kind === 'exec') return { ok, evidence: { exitCode: 1, signal: null, output: ['unhealthy (simulated)'], durationMs: 0 } };
    return { ok, evidence: { error: 'connect ECONNREFUSED (simulated)', durationMs: 0 } };
  }

  /** A child writes a line to its log. */
  emit(a: SimAttempt, stream: OutputLine['stream'], line: string): void {
    a.lines.push({ stream, line });
    this.notify();
  }

  private listeners = new Set<() => void>();

  /** Called after any change of processes, files or logs. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    const off = this.table.onChange(listener);
    return () => {
      this.listeners.delete(listener);
      off();
    };
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private runScript(a: SimAttempt, s: SimScript): void {
    const at = (ms: number | null, fn: () => void): void => {
      if (ms === null) return;
      this.clock.setTimer(ms, () => {
        if (this.table.isAlive(a.leader)) fn();
      });
    };
    at(s.readyAfterMs, () => this.emit(a, 'stdout', 'RUNLEDGER-READY'));
    for (const l of s.lines) at(l.afterMs, () => this.emit(a, 'stdout', l.text));
    at(s.checkpointAfterMs, () => this.emit(a, 'stdout', `RUNLEDGER-CHECKPOINT {"phase":"p${a.lines.length}"}`));
    if (s.listen) {
      const port = s.listen.port;
      at(s.listen.afterMs, () => this.ports.set(port, a.leader));
    }
    if (s.zombieAfterMs !== null && a.grandchild) {
      const g = a.grandchild;
      this.clock.setTimer(s.zombieAfterMs, () => {
        if (this.table.isAlive(g)) this.table.exit(g.pid, 0, null);
      });
    }
    if (s.exit) {
      const { code } = s.exit;
      at(s.exit.afterMs, () => this.table.exit(a.leader.pid, code, null));
    }
  }
}
