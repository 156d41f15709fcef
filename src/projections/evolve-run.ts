/**
 * The pure fold of one run's stream: evolveRun(state, event) -> state.
 * It never reads a clock or makes ids; every time comes from the event.
 * Terminal is final: an event that would move an ended run, or end an
 * attempt twice, is a bug and is reported by throwing PROJECTION_BUG (the
 * collection fold records it as an anomaly and keeps the state unchanged).
 */
import type { EventEnvelope } from '../events/envelope.js';
import { runIdOfStream } from '../events/envelope.js';
import { ATTEMPT_TERMINAL_TYPES } from '../events/constants.js';
import { isTerminalStatus, type AttemptState, type RunState } from './run-state.js';
import { shortIdOf } from './short-id.js';
import { bug, endAttempt, endStatus, newAttempt, runEndedAt, withAttempt } from './evolve-attempt.js';

export function evolveRun(run: RunState | undefined, e: EventEnvelope): RunState {
  if (e.type === 'RunRequested') {
    if (run) bug(run, e, 'for a run that already exists');
    const id = runIdOfStream(e.streamId);
    if (!id) bug(run, e, `on stream ${e.streamId}, which is not a run stream`);
    const d = e.data;
    return {
      id,
      shortId: shortIdOf(id),
      spec: d.spec,
      git: d.git,
      batchId: d.batchId ?? null,
      template: d.template ?? null,
      rerunOf: d.rerunOf ?? null,
      status: 'pending',
      reason: null,
      exitCode: null,
      signal: null,
      createdAt: e.time,
      startedAt: null,
      readyAt: null,
      endedAt: null,
      attempts: [],
      stop: null,
      restart: null,
      restarts: 0,
      timedOut: false,
      readinessFailure: null,
      health: d.spec.health ? 'starting' : null,
      healthFailure: null,
      lastCheckpoint: null,
      checkpoints: 0,
      version: e.streamVersion,
      position: e.position,
    };
  }
  if (!run) bug(run, e, 'for a run that was never requested');
  if (isTerminalStatus(run.status)) bug(run, e, `would change run ${run.id}, which already ended ${run.status}`);
  const next = healthAfterAttemptEnd(applyToLiveRun(run, e), e);
  return { ...next, version: e.streamVersion, position: e.position };
}

const ATTEMPT_END = new Set<string>(ATTEMPT_TERMINAL_TYPES);

/** A healthy attempt that ended leaves no healthy process: `starting` again; `unhealthy` stays until a probe passes. */
function healthAfterAttemptEnd(run: RunState, e: EventEnvelope): RunState {
  return ATTEMPT_END.has(e.type) && run.health === 'healthy' ? { ...run, health: 'starting' } : run;
}

function applyToLiveRun(run: RunState, e: EventEnvelope): RunState {
  switch (e.type) {
    case 'ProcessSpawned': {
      const d = e.data;
      if (run.attempts.some((a) => a.n === d.attempt)) bug(run, e, `spawns attempt ${d.attempt} twice`);
      const a: AttemptState = {
        ...newAttempt(d.attempt),
        pid: d.pid,
        pgid: d.pgid,
        startTime: d.startTime,
        bootId: d.bootId,
        shimPid: d.shimPid ?? null,
        runtime: d.runtime,
        logs: d.logs,
        startedAt: e.time,
        tracking: d.tracking ?? null,
      };
      const status = run.status === 'stopping' ? 'stopping' : run.spec.ready ? 'starting' : 'running';
      // Readiness is per attempt: a new attempt starts with no readiness failure of its own. So is health,
      // but a failure not yet recovered stays (its recovery may be the new attempt's first pass).
      const health = run.spec.health ? 'starting' : null;
      return {
        ...run,
        attempts: [...run.attempts, a],
        status,
        restart: null,
        readinessFailure: null,
        health,
        startedAt: run.startedAt ?? e.time,
      };
    }
    case 'ProcessSpawnFailed': {
      const d = e.data;
      // An attempt that already exists was spawned (or already failed): this would end it twice.
      if (run.attempts.some((a) => a.n === d.attempt)) bug(run, e, `fails attempt ${d.attempt}, which already exists`);
      const failed = endAttempt(newAttempt(d.attempt), e, 'spawn-failed', {
        finding: { reason: d.code, evidence: { message: d.message } },
      });
      return { ...run, attempts: [...run.attempts, failed], restart: null };
    }
    case 'ProcessReady': {
      const r = withAttempt(run, e, e.data.attempt, (a) => ({ ...a, readyAt: a.readyAt ?? e.time }));
      return { ...r, status: r.status === 'starting' ? 'running' : r.status, readyAt: run.readyAt ?? e.time };
    }
    case 'ReadinessFailed': {
      const { reason, message, stderrTail } = e.data;
      return { ...run, readinessFailure: { reason, message, stderrTail } };
    }
    case 'Checkpointed':
      return { ...run, lastCheckpoint: e.data.checkpoint, checkpoints: run.checkpoints + 1 };
    case 'StopRequested': {
      const d = e.data;
      return {
        ...run,
        status: 'stopping',
        // A stop cancels a pending restart.
        restart: null,
        stop: { reason: d.reason, signal: d.signal, graceMs: d.graceMs, force: d.force, requestedAt: e.time, escalateAt: d.escalateAt },
      };
    }
    case 'SignalSent': {
      const d = e.data;
      // A signal may follow the exit of the main process (the group can outlive it).
      return withAttempt(
        run,
        e,
        d.attempt,
        (a) => ({ ...a, signals: [...a.signals, { signal: d.signal, target: d.target, at: e.time }] }),
        false,
      );
    }
    case 'ProcessExited': {
      const d = e.data;
      const unknown = d.codeUnknown === undefined ? {} : { finding: { reason: `code unknown (${d.codeUnknown})`, evidence: {} } };
      const usage = d.usage === undefined ? {} : { usage: { ...d.usage } };
      const r = withAttempt(run, e, d.attempt, (a) =>
        endAttempt(a, e, 'exited', { exitCode: d.exitCode, signal: d.signal, ...unknown, ...usage }),
      );
      return { ...r, exitCode: d.exitCode, signal: d.signal };
    }
    case 'ExitRecovered': {
      const d = e.data;
      const r = withAttempt(run, e, d.attempt, (a) =>
        endAttempt(a, e, 'exited', {
          exitCode: d.exitCode,
          signal: d.signal,
          endedAt: d.exitedAt ?? e.time,
          finding: { reason: 'exit-recovered', evidence: d.evidence },
        }),
      );
      return { ...r, exitCode: d.exitCode, signal: d.signal };
    }
    case 'ProcessMarkedStale':
      return withAttempt(run, e, e.data.attempt, (a) =>
        endAttempt(a, e, 'stale', { finding: { reason: e.data.reason, evidence: e.data.evidence } }),
      );
    case 'ProcessStatusUnknown':
      return withAttempt(run, e, e.data.attempt, (a) =>
        endAttempt(a, e, 'unknown', { finding: { reason: e.data.reason, evidence: e.data.evidence } }),
      );
    case 'ShimLost':
      return withAttempt(run, e, e.data.attempt, (a) => ({ ...a, shimLost: a.shimLost ?? { at: e.time, evidence: e.data.evidence } }));
    case 'ProcessAdopted':
      return withAttempt(run, e, e.data.attempt, (a) => ({ ...a, adoptedBy: [...a.adoptedBy, e.data.supervisorId] }));
    case 'RunTimedOut':
      return { ...run, timedOut: true };
    case 'RestartScheduled': {
      const d = e.data;
      return {
        ...run,
        status: 'restarting',
        stop: null,
        // countReset: the ended attempt stayed up min-uptime, so this restart is the first of a new count.
        restarts: d.countReset ? 1 : run.restarts + 1,
        restart: { nextAttempt: d.nextAttempt, at: d.at, delayMs: d.delayMs, reason: d.reason },
      };
    }
    case 'TreeReaped': {
      const { pids, signal, kept, survivors } = e.data;
      // Recorded just before the attempt's exit, or after it for a tree that outlived a recovered exit.
      return withAttempt(run, e, e.data.attempt, (a) => ({ ...a, tree: { pids, signal, kept: kept === true, survivors } }), false);
    }
    case 'HealthCheckPassed':
    case 'HealthRecovered': {
      const r = withAttempt(run, e, e.data.attempt, (a) => ({ ...a, healthyAt: a.healthyAt ?? e.time }));
      return { ...r, health: 'healthy', healthFailure: null };
    }
    case 'HealthCheckFailed': {
      const { attempt, consecutiveFailures, evidence } = e.data;
      return withAttempt(
        { ...run, health: 'unhealthy', healthFailure: { attempt, at: e.time, consecutiveFailures, evidence } },
        e,
        attempt,
        (a) => a,
      );
    }
    case 'RunEnded': {
      const d = e.data;
      return {
        ...run,
        status: endStatus(run, d),
        reason: d.reason,
        exitCode: d.exitCode,
        signal: d.signal,
        endedAt: runEndedAt(run, e),
        restart: null,
      };
    }
    case 'RunRequested':
    case 'SupervisorStarted':
    case 'SupervisorStopped':
    case 'ReconcileCompleted':
    case 'LedgerSalvaged':
    case 'LogsPruned':
    case 'StackApplied':
    case 'DependencyWaiting':
    case 'DependencySatisfied':
    case 'DependencyFailed':
    case 'RemoteCommandHandled':
      return bug(run, e, 'is not a run event');
    default:
      return assertNever(e);
  }
}

/**
 * Compiles only when every event type has its case above: a new event must
 * be folded (or named as not a run event) here, not found as an anomaly at
 * run time. A record that is none of them (impossible after validation) is
 * still a bug.
 */
function assertNever(e: never): never {
  const unknown = e as EventEnvelope;
  return bug(undefined, unknown, 'has no case in evolveRun');
}
