/** One line of words per event type, for the timeline. Exhaustive over the catalogue, so a new event type fails to compile here. */
import type { EventEnvelope } from '../events/envelope.js';
import type { HealthEvidence } from '../events/schemas.js';
import { describeExit, formatCommand, formatDuration } from './describe.js';

/** Evidence keys that reconcile records for a recycled pid: shown as "expected start time X, observed Y". */
const START_TIME_KEYS = [
  ['expectedStartTime', 'observedStartTime'],
  ['expected', 'observed'],
] as const;

/** `endStatus`: the run's status as folded, for a RunEnded whose stored word an older runledger chose (v1 `killed`). */
export function describeEvent(e: EventEnvelope, endStatus?: string): string {
  switch (e.type) {
    case 'RunRequested': {
      const s = e.data.spec;
      const where = [`cwd ${s.cwd}`, s.slot ? `slot ${s.slot}` : null, s.key ? `key ${s.key}` : null].filter(Boolean).join(', ');
      return `requested: ${s.shell ? s.command : formatCommand(s.command, s.args)} (${where})`;
    }
    case 'ProcessSpawned':
      return `spawned attempt ${e.data.attempt}: pid ${e.data.pid} pgid ${e.data.pgid}`;
    case 'ProcessSpawnFailed':
      return `spawn of attempt ${e.data.attempt} failed: ${e.data.code}: ${e.data.message}`;
    case 'ProcessReady':
      return `ready via ${e.data.via}${e.data.detail ? ` (${e.data.detail})` : ''}`;
    case 'ReadinessFailed': {
      const tail = e.data.stderrTail.length ? `; stderr: ${e.data.stderrTail.join(' | ')}` : '';
      return `readiness failed (${e.data.reason}): ${e.data.message}${tail}`;
    }
    case 'Checkpointed':
      return `checkpoint ${JSON.stringify(e.data.checkpoint) ?? 'undefined'}`;
    case 'StopRequested': {
      const d = e.data;
      return `stop requested (${d.reason}): ${d.signal}, grace ${formatDuration(d.graceMs)}${d.force ? ', forced' : ''}`;
    }
    case 'SignalSent': {
      const d = e.data;
      return d.target === 'group' ? `signal ${d.signal} sent to group ${d.pgid}` : `signal ${d.signal} sent to process ${d.pid}`;
    }
    case 'ProcessExited':
      if (e.data.codeUnknown !== undefined) return `exited: code unknown (${e.data.codeUnknown})`;
      return e.data.signal ? `killed by ${e.data.signal}` : exitText('exited', e.data.exitCode, null);
    case 'ExitRecovered':
      return exitText('exit recovered', e.data.exitCode, e.data.signal);
    case 'RunTimedOut':
      return `timed out after ${formatDuration(e.data.timeoutMs)}`;
    case 'RestartScheduled': {
      const d = e.data;
      return `restart scheduled: attempt ${d.nextAttempt} in ${formatDuration(d.delayMs)} (${d.reason})${d.crashLoop ? ' [crash loop]' : ''}`;
    }
    case 'RunEnded':
      return `run ended: ${endStatus ?? e.data.status} (${e.data.reason})`;
    case 'ProcessAdopted':
      return `adopted by supervisor ${e.data.supervisorId}`;
    case 'ProcessMarkedStale':
      return `marked stale: ${e.data.reason}${evidenceText(e.data.evidence)}`;
    case 'ProcessStatusUnknown':
      return `status unknown: ${e.data.reason}${evidenceText(e.data.evidence)}`;
    case 'SupervisorStarted': {
      const d = e.data;
      return `supervisor ${d.supervisorId} started (pid ${d.pid}, version ${d.version}, host ${d.hostname})`;
    }
    case 'SupervisorStopped':
      return `supervisor ${e.data.supervisorId} stopped: ${e.data.reason} (${e.data.leftRunning} left running)`;
    case 'ShimLost': {
      const d = e.data;
      const how = d.evidence.shimExit ? `, ${String(d.evidence.shimExit)}` : '';
      return `shim ${d.shimPid} lost (${String(d.evidence.shimState ?? 'gone')}${how}); process ${d.childPid} still running under parent ${String(d.evidence.childPpid ?? '?')}, watched directly`;
    }
    case 'TreeReaped':
      return treeText(e.data);
    case 'ReconcileCompleted': {
      const r = e.data.report;
      return `reconcile: checked ${r.checked}, adopted ${r.adopted}, recovered ${r.recovered}, stale ${r.stale}, unknown ${r.unknown}, resumed stops ${r.resumedStops}`;
    }
    case 'HealthCheckPassed':
      return `healthy: ${e.data.probe} probe passed (${healthEvidenceText(e.data.evidence)})`;
    case 'HealthCheckFailed': {
      const d = e.data;
      return `unhealthy: ${d.consecutiveFailures} ${d.probe} probes failed in a row (threshold ${d.failureThreshold}): ${healthEvidenceText(d.evidence)}`;
    }
    case 'HealthRecovered':
      return `health recovered: ${e.data.probe} probe passed (${healthEvidenceText(e.data.evidence)})`;
    case 'LedgerSalvaged': {
      const d = e.data;
      return `ledger salvaged: kept ${d.kept}, left ${d.leftBehind} behind from position ${d.stoppedAt} (${d.reason}); damaged copy at ${d.movedTo}`;
    }
    case 'LogsPruned': {
      const d = e.data;
      return `logs pruned (${d.trigger}, older than ${d.olderThan}): ${d.runs.length} run(s), ${d.attempts} attempt(s), ${d.bytes} bytes`;
    }
    case 'StackApplied': {
      const d = e.data;
      const parts = [
        ['started', d.started],
        ['restarted', d.restarted],
        ['stopped', d.stopped],
      ] as const;
      const what = parts.filter(([, names]) => names.length > 0).map(([verb, names]) => `${verb} ${names.join(', ')}`);
      return `stack ${d.stack} ${d.action}: ${what.join('; ') || 'nothing changed'} (${d.file}, spec ${d.specHash})`;
    }
    case 'DependencyWaiting':
      return `${e.data.process} waits for ${e.data.dependency} to be ${e.data.condition} (until ${e.data.deadline})`;
    case 'DependencySatisfied':
      return `${e.data.process}: ${e.data.dependency} is ${e.data.condition}`;
    case 'DependencyFailed':
      return `${e.data.process} not started: ${e.data.message}`;
    case 'RemoteCommandHandled': {
      const d = e.data;
      const runs = d.runIds.length > 0 ? ` (${d.runIds.join(', ')})` : '';
      return `${d.command} for ${d.fromHost}, request ${d.requestId}: ${d.ok ? 'done' : `failed ${d.errorCode ?? ''}`.trim()}${runs}`;
    }
  }
}

type Member = { pid: number; command: string };

/** "HTTP 500", "connect ECONNREFUSED", "exit code 1: out of disk | retrying", "timed out after 5s". */
export function healthEvidenceText(ev: HealthEvidence): string {
  const parts: string[] = [];
  if (ev.status !== undefined) parts.push(`HTTP ${ev.status}`);
  if (ev.timedOut) parts.push('timed out');
  if (ev.error !== undefined) parts.push(ev.error);
  if (ev.signal) parts.push(`killed by ${ev.signal}`);
  else if (ev.exitCode !== undefined && ev.exitCode !== null) parts.push(`exit code ${ev.exitCode}`);
  const out = ev.output?.length ? `: ${ev.output.join(' | ')}` : '';
  return `${parts.join(', ') || 'ok'}${out} in ${formatDuration(ev.durationMs)}`;
}

/** "reaped 2 leftovers with SIGTERM: 41 sleep, 42 sh"; survivors and the fallback's blind spot are said, never hidden. */
export function treeText(d: { pids: Member[]; signal: string | null; kept?: boolean; survivors: Member[]; tracking: string }): string {
  const list = (ms: Member[]): string => ms.map((m) => `${m.pid} ${m.command}`).join(', ');
  const what = d.kept
    ? `kept ${d.pids.length} leftover(s): ${list(d.pids)}`
    : `reaped ${d.pids.length} leftover(s)${d.signal ? ` with ${d.signal}` : ''}: ${list(d.pids)}`;
  const left = d.survivors.length ? `; SURVIVED: ${list(d.survivors)}` : '';
  const blind =
    d.tracking === 'process-group' ? ' (process-group tracking: a process that left the session after its parent exited is not seen)' : '';
  return `${what}${left}${blind}`;
}

/** "exited: code 0", "exit recovered: code 7", "exit recovered: killed by SIGKILL". */
function exitText(what: string, exitCode: number | null, signal: string | null): string {
  if (!signal && exitCode !== null) return `${what}: code ${exitCode}`;
  return `${what}: ${describeExit(exitCode, signal)}`;
}

/** The start-time evidence that proves a pid was recycled, when reconcile recorded it. */
function evidenceText(evidence: Record<string, unknown>): string {
  for (const [expected, observed] of START_TIME_KEYS) {
    if (expected in evidence || observed in evidence) {
      return ` (expected start time ${String(evidence[expected] ?? '?')}, observed ${String(evidence[observed] ?? 'none')})`;
    }
  }
  return '';
}
