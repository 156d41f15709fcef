/**
 * The decider: given a run's state and a command or an observed fact, which
 * events to append (Emmett's decide). Pure: the driver supplies `now` and
 * performs the effects. An empty list means "nothing to record" (e.g. a
 * second stop, a ready line after ready), which keeps retries idempotent.
 */
import { RunledgerError } from '../errors.js';
import type { RunledgerEvent } from '../events/envelope.js';
import type { AttemptUsage, OwnerScope, StopReason } from '../events/schemas.js';
import { isoTime } from '../clock.js';
import { isTerminalStatus, liveAttempt, type AttemptState, type RunState } from '../projections/run-state.js';
import { decideAfterAttempt, type AttemptEnd } from './outcome.js';
import { nothingRunningReason, statusForStop } from './stop-status.js';

type Events = RunledgerEvent[];

function msOf(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}

/** @internal also for decide-readiness.ts */
export function attemptOf(run: RunState, n: number): AttemptState | undefined {
  return run.attempts.find((a) => a.n === n);
}

/** Is attempt n the live attempt (spawned, not ended)? Facts about any other attempt are stale news. */
export function isLive(run: RunState, n: number): boolean {
  return !isTerminalStatus(run.status) && liveAttempt(run)?.n === n;
}

export interface StopCommand {
  reason: StopReason;
  force: boolean;
  graceMs?: number;
  scope?: OwnerScope;
}

export function decideStop(run: RunState, cmd: StopCommand, now: number): Events {
  if (isTerminalStatus(run.status)) return [];
  const current = run.stop;
  // A stop in progress stands, unless this one is stronger: forced, or a real stop overriding
  // a manual restart's, a readiness failure's or a health failure's stop (each would start the next attempt).
  const overridesRestart =
    (current?.reason === 'restart' || current?.reason === 'readiness' || current?.reason === 'unhealthy') && cmd.reason !== current.reason;
  if (current && !overridesRestart && (!cmd.force || current.force)) return [];
  const graceMs = cmd.force ? 0 : (cmd.graceMs ?? run.spec.graceMs);
  const signal = cmd.force ? 'SIGKILL' : run.spec.stopSignal;
  // Never push back an escalation deadline already promised in the log.
  const escalateAtMs = Math.min(now + graceMs, current ? Date.parse(current.escalateAt) : Infinity);
  const reason = current && !overridesRestart ? current.reason : cmd.reason;
  const stop: RunledgerEvent = {
    type: 'StopRequested',
    data: { reason, signal, graceMs, force: cmd.force, escalateAt: isoTime(escalateAtMs), ...(cmd.scope ? { scope: cmd.scope } : {}) },
  };
  if (liveAttempt(run)) return [stop];
  // Nothing is running (pending, or waiting to restart): the stop ends the run at once.
  return [
    stop,
    {
      type: 'RunEnded',
      data: { status: statusForStop(reason), reason: nothingRunningReason(reason, run.attempts.length), exitCode: null, signal: null },
    },
  ];
}

export interface SpawnFacts {
  attempt: number;
  pid: number;
  pgid: number;
  startTime: string;
  bootId: string;
  runtime: 'background' | 'tmux' | 'sim';
  shimPid?: number;
  logs: { stdout: string; stderr: string };
  tracking?: 'cgroup' | 'process-group';
}

/** A process was started: record it, whatever the run's state — it exists and must be accounted for. */
export function decideSpawned(run: RunState, facts: SpawnFacts): Events {
  if (attemptOf(run, facts.attempt)) return [];
  const { shimPid, ...rest } = facts;
  return [{ type: 'ProcessSpawned', data: shimPid === undefined ? rest : { ...rest, shimPid } }];
}

export interface SpawnFailedFacts {
  attempt: number;
  code: string;
  message: string;
}

export function decideSpawnFailed(run: RunState, facts: SpawnFailedFacts, now: number): Events {
  const { attempt, code, message } = facts;
  if (isTerminalStatus(run.status) || attemptOf(run, attempt)) return [];
  const failed: RunledgerEvent = { type: 'ProcessSpawnFailed', data: { attempt, code, message } };
  if (run.stop)
    return [
      failed,
      {
        type: 'RunEnded',
        data: {
          status: statusForStop(run.stop.reason),
          reason: `stopped (${run.stop.reason}); spawn failed: ${message}`,
          exitCode: null,
          signal: null,
        },
      },
    ];
  // A spawn failure is not a crash loop the policy can fix (missing binary, bad cwd): end the run.
  return [failed, { type: 'RunEnded', data: { status: 'failed', reason: `spawn failed: ${message}`, exitCode: null, signal: null } }];
}

export interface SignalSentFacts {
  attempt: number;
  signal: string;
  target: 'group' | 'process';
  reason: string;
}

export function decideSignalSent(run: RunState, facts: SignalSentFacts): Events {
  const { attempt, signal, target, reason } = facts;
  const a = attemptOf(run, attempt);
  if (isTerminalStatus(run.status) || !a || a.pid === null || a.pgid === null) return [];
  return [{ type: 'SignalSent', data: { attempt, signal, target, pid: a.pid, pgid: a.pgid, reason } }];
}

export interface ExitFacts {
  attempt: number;
  exitCode: number | null;
  signal: string | null;
  /** Set when reconcile found the exit in the shim's record after we were down. */
  recovered?: { exitedAt: string | null; evidence: Record<string, unknown> };
  /** The process was seen to end but nobody could learn its status, e.g. "shim lost" (codes are null). */
  codeUnknown?: string;
  note?: string;
  /** What the tree used while it ran (recorded on ProcessExited, not on a recovered exit: nobody sampled it). */
  usage?: AttemptUsage;
}

export function decideExit(run: RunState, facts: ExitFacts, now: number): Events {
  if (!isLive(run, facts.attempt)) return [];
  const a = attemptOf(run, facts.attempt)!;
  const exited: RunledgerEvent = facts.recovered
    ? {
        type: 'ExitRecovered',
        data: {
          attempt: facts.attempt,
          exitCode: facts.exitCode,
          signal: facts.signal,
          exitedAt: facts.recovered.exitedAt,
          evidence: facts.recovered.evidence,
        },
      }
    : {
        type: 'ProcessExited',
        data: {
          attempt: facts.attempt,
          exitCode: facts.exitCode,
          signal: facts.signal,
          ...(facts.codeUnknown ? { codeUnknown: facts.codeUnknown } : {}),
          ...(facts.usage ? { usage: facts.usage } : {}),
        },
      };
  const endedAtMs = msOf(facts.recovered?.exitedAt ?? null) ?? now;
  const end: AttemptEnd = {
    attempt: facts.attempt,
    exitCode: facts.exitCode,
    signal: facts.signal,
    startedAtMs: msOf(a.startedAt),
    endedAtMs,
    ...(facts.note ? { note: facts.note } : {}),
    ...(facts.codeUnknown ? { codeUnknown: facts.codeUnknown } : {}),
  };
  return [exited, ...decideAfterAttempt(run, end, now)];
}

/** Reconcile's findings: the process is not ours any more (stale) or vanished without a record (unknown). */
export interface FindingFacts {
  attempt: number;
  kind: 'stale' | 'unknown';
  reason: string;
  evidence: Record<string, unknown>;
}

export function decideFinding(run: RunState, facts: FindingFacts, now: number): Events {
  const { attempt, kind, reason, evidence } = facts;
  if (!isLive(run, attempt)) return [];
  const finding: RunledgerEvent =
    kind === 'stale'
      ? { type: 'ProcessMarkedStale', data: { attempt, reason, evidence } }
      : { type: 'ProcessStatusUnknown', data: { attempt, reason, evidence } };
  const end: AttemptEnd = { attempt, exitCode: null, signal: null, startedAtMs: null, endedAtMs: now, finding: kind, note: reason };
  return [finding, ...decideAfterAttempt(run, end, now)];
}

/** The attempt's shim died while its child lives: recorded once per attempt. */
export function decideShimLost(
  run: RunState,
  attempt: number,
  report: { shimPid: number; childPid: number; evidence: Record<string, unknown> },
): Events {
  const a = attemptOf(run, attempt);
  if (!isLive(run, attempt) || !a || a.shimLost || a.pid !== report.childPid) return [];
  return [{ type: 'ShimLost', data: { attempt, shimPid: report.shimPid, childPid: report.childPid, evidence: report.evidence } }];
}

export interface AdoptFacts {
  attempt: number;
  supervisorId: string;
  evidence: Record<string, unknown>;
}

export function decideAdopt(run: RunState, facts: AdoptFacts): Events {
  const { attempt, supervisorId, evidence } = facts;
  if (!isLive(run, attempt) || attemptOf(run, attempt)!.adoptedBy.includes(supervisorId)) return [];
  return [{ type: 'ProcessAdopted', data: { attempt, supervisorId, evidence } }];
}

export function decideTimeout(run: RunState, now: number): Events {
  if (isTerminalStatus(run.status) || !run.spec.timeoutMs || run.timedOut) return [];
  // decideStop keeps a user's stop, but overrides a readiness or restart stop: the run must end.
  return [{ type: 'RunTimedOut', data: { timeoutMs: run.spec.timeoutMs } }, ...decideStop(run, { reason: 'timeout', force: false }, now)];
}

/** Manual restart: stop the live attempt; its exit schedules the next one at once. */
export function decideRestart(run: RunState, now: number): Events {
  if (isTerminalStatus(run.status)) {
    throw new RunledgerError('RUN_TERMINAL', `run ${run.shortId} already ended (${run.status}); use rerun to start it again`, {
      id: run.id,
      status: run.status,
    });
  }
  if (!liveAttempt(run) || run.stop) return [];
  return decideStop(run, { reason: 'restart', force: false }, now);
}
