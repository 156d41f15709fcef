/**
 * The invariants checked after every simulated step. Each names the rule it
 * guards; a failure message says which run, attempt or pid broke it.
 */
import { expect } from 'vitest';
import { ATTEMPT_TERMINAL_TYPES, runIdOfStream, type EventEnvelope } from '../../src/events/index.js';
import { isActive, isTerminalStatus } from '../../src/projections/run-state.js';
import { foldRuns, type RunsState } from '../../src/projections/runs.js';
import { serializeRunsState } from '../../src/projections/snapshot.js';
import type { SimWorld } from '../../src/sim/index.js';

export interface InvariantState {
  /** JSON of each run when it was first seen terminal: it must never change again. */
  terminal: Map<string, string>;
  /** Signal deliveries already checked. */
  deliveriesChecked: number;
}

export function newInvariantState(): InvariantState {
  return { terminal: new Map(), deliveriesChecked: 0 };
}

const TERMINAL_TYPES = new Set<string>(ATTEMPT_TERMINAL_TYPES);

export interface Checked {
  log: EventEnvelope[];
  replay: RunsState;
}

export async function checkInvariants(world: SimWorld, inv: InvariantState): Promise<Checked> {
  const store = await world.inspector();
  const log = await store.readAll();
  // Positions gap-free (readAll throws on a hole) and the hash chain verifies.
  log.forEach((e, i) => expect(e.position, 'positions are gap-free').toBe(i + 1));
  const verified = await store.verify();
  expect(verified.ok, `verify: ${JSON.stringify(verified.firstBad)}`).toBe(true);

  const replay = foldRuns(log);
  expect(replay.anomalies, 'replaying the log reports no anomalies').toEqual([]);
  if (world.up) {
    const live = serializeRunsState(world.sup.state);
    const fresh = serializeRunsState(replay);
    if (JSON.stringify(live) !== JSON.stringify(fresh)) expect(live, 'live state equals a fresh replay of the log').toEqual(fresh);
  }

  checkExactlyOnce(log, replay);
  checkTerminalFinal(replay, inv);
  checkSignals(world, inv);
  expect(world.host.violations, 'the machine saw nothing forbidden').toEqual([]);
  checkSlotsAndKeys(replay);
  checkStoppedGroups(world, replay, log);
  checkHealth(world, log);
  checkStopWords(log, replay);
  return { log, replay };
}

/**
 * The stop vocabulary, read from the log alone: a run someone stopped ends
 * `killed` only if a SIGKILL followed the stop or a signal other than the stop
 * signal ended it, and `stopped` only if neither happened.
 */
function checkStopWords(log: EventEnvelope[], replay: RunsState): void {
  // Per run, since its last stop: was a SIGKILL asked for or sent, and was a process still running?
  const kills = new Set<string>();
  const idle = new Set<string>();
  const live = new Set<string>();
  for (const e of log) {
    const runId = runIdOfStream(e.streamId);
    if (!runId) continue;
    if (e.type === 'ProcessSpawned') live.add(runId);
    if (TERMINAL_TYPES.has(e.type)) live.delete(runId);
    if (e.type === 'StopRequested') {
      kills.delete(runId);
      if (e.data.signal === 'SIGKILL') kills.add(runId);
      if (live.has(runId)) idle.delete(runId);
      else idle.add(runId);
    }
    if (e.type === 'SignalSent' && e.data.signal === 'SIGKILL') kills.add(runId);
  }
  for (const run of replay.runs.values()) {
    if (run.status !== 'stopped' && run.status !== 'killed') continue;
    const foreign = run.signal !== null && run.signal !== run.stop?.signal;
    // A recovered exit can pre-date the stop (the process ended while nobody watched): nothing was running then either.
    const last = run.attempts[run.attempts.length - 1];
    const endedBefore = last?.endedAt != null && run.stop !== null && last.endedAt < run.stop.requestedAt;
    const killed = !idle.has(run.id) && !endedBefore && (kills.has(run.id) || run.signal === 'SIGKILL' || foreign);
    const story = log
      .filter((e) => runIdOfStream(e.streamId) === run.id)
      .map((e) => `${e.time} ${e.type} ${JSON.stringify(e.data).slice(0, 120)}`)
      .join('\n');
    expect(run.status, `run ${run.id} (${run.reason}) ended ${run.status}; SIGKILL or foreign signal: ${killed}\n${story}`).toBe(
      killed ? 'killed' : 'stopped',
    );
  }
}

/** Every attempt has at most one terminal event; every ended run exactly one RunEnded (and none otherwise). */
function checkExactlyOnce(log: EventEnvelope[], replay: RunsState): void {
  const ends = new Map<string, number>();
  const attemptEnds = new Map<string, string[]>();
  for (const e of log) {
    const runId = runIdOfStream(e.streamId);
    if (!runId) continue;
    if (e.type === 'RunEnded') ends.set(runId, (ends.get(runId) ?? 0) + 1);
    if (TERMINAL_TYPES.has(e.type)) {
      const key = `${runId}/${(e.data as { attempt: number }).attempt}`;
      attemptEnds.set(key, [...(attemptEnds.get(key) ?? []), `${e.type}@${e.position}`]);
    }
  }
  for (const [key, list] of attemptEnds) expect(list.length, `attempt ${key} has one terminal event: ${list.join(', ')}`).toBe(1);
  for (const run of replay.runs.values()) {
    expect(ends.get(run.id) ?? 0, `run ${run.id} (${run.status}) has ${isTerminalStatus(run.status) ? 'one' : 'no'} RunEnded`).toBe(
      isTerminalStatus(run.status) ? 1 : 0,
    );
  }
}

function checkTerminalFinal(replay: RunsState, inv: InvariantState): void {
  for (const run of replay.runs.values()) {
    if (!isTerminalStatus(run.status)) {
      expect(inv.terminal.has(run.id), `run ${run.id} was terminal and is now ${run.status}`).toBe(false);
      continue;
    }
    const json = JSON.stringify(run);
    const seen = inv.terminal.get(run.id);
    if (seen === undefined) inv.terminal.set(run.id, json);
    else if (seen !== json) expect(JSON.parse(json), `terminal run ${run.id} never changes`).toEqual(JSON.parse(seen));
  }
}

/** No signal ever reached a process that is not the attempt whose identity was checked. */
function checkSignals(world: SimWorld, inv: InvariantState): void {
  const all = world.host.deliveries;
  for (const d of all.slice(inv.deliveriesChecked)) {
    if (d.outcome !== 'sent') {
      expect(d.reached, 'mismatch/gone deliveries reach nobody').toEqual([]);
      continue;
    }
    const strangers = d.reached.filter((p) => p.owner !== d.expectedOwner || d.expectedOwner === null);
    expect(
      strangers,
      `${d.signal} to ${d.target} ${d.target === 'group' ? d.identity.pgid : d.identity.pid} (identity of ${d.expectedOwner}) reached only our processes`,
    ).toEqual([]);
  }
  inv.deliveriesChecked = all.length;
}

function checkSlotsAndKeys(replay: RunsState): void {
  const slots = new Map<string, string[]>();
  const keys = new Map<string, string[]>();
  for (const r of replay.runs.values()) {
    if (!isActive(r)) continue;
    if (r.spec.slot) slots.set(r.spec.slot, [...(slots.get(r.spec.slot) ?? []), r.id]);
    if (r.spec.key) keys.set(r.spec.key, [...(keys.get(r.spec.key) ?? []), r.id]);
  }
  for (const [slot, ids] of slots) expect(ids, `at most one active run in slot ${slot}`).toHaveLength(1);
  for (const [key, ids] of keys) expect(ids, `no two active runs share key ${key}`).toHaveLength(1);
}

/**
 * A run that was stopped and has ended leaves no process of the stopped
 * attempt's group behind — unless that attempt was found stale (its pid
 * belongs to someone else now, so nothing may be signalled on its behalf).
 * Attempts that had already ended before the stop are not covered: what an
 * attempt leaves behind when it exits by itself is not the stop's business
 * (see `leftovers`).
 */
function checkStoppedGroups(world: SimWorld, replay: RunsState, log: EventEnvelope[]): void {
  const lastStop = new Map<string, number>();
  const attemptEnd = new Map<string, number>();
  for (const e of log) {
    const runId = runIdOfStream(e.streamId);
    if (e.type === 'StopRequested') lastStop.set(runId!, e.position);
    if (TERMINAL_TYPES.has(e.type)) attemptEnd.set(`${runId}/${(e.data as { attempt: number }).attempt}`, e.position);
  }
  for (const run of replay.runs.values()) {
    if (!run.stop || !isTerminalStatus(run.status)) continue;
    const a = run.attempts[run.attempts.length - 1];
    if (!a || a.endedBy === 'ProcessMarkedStale' || (attemptEnd.get(`${run.id}/${a.n}`) ?? Infinity) < lastStop.get(run.id)!) continue;
    const alive = [...world.host.table.procs.values()].filter((p) => p.owner === `${run.id}/${a.n}` && p.state === 'alive');
    expect(
      alive.map((p) => `${p.role} ${p.pid}`),
      `stopped run ${run.id} (${run.status}: ${run.reason}) attempt ${a.n} left processes`,
    ).toEqual([]);
  }
}

/** The longest run of failed probes the world answered for each attempt, and whether any passed. */
function probeStreaks(world: SimWorld): Map<string, { maxFailures: number; passed: boolean }> {
  const out = new Map<string, { maxFailures: number; passed: boolean; current: number }>();
  for (const p of world.host.probes) {
    const s = out.get(p.key) ?? { maxFailures: 0, passed: false, current: 0 };
    s.current = p.ok ? 0 : s.current + 1;
    s.maxFailures = Math.max(s.maxFailures, s.current);
    s.passed ||= p.ok;
    out.set(p.key, s);
  }
  return out;
}

/**
 * Health (issue 13): a health failure is recorded only after the world answered `failureThreshold`
 * failing probes in a row for that attempt, with the probe's evidence, once per crossing; a stop for
 * `unhealthy` follows such a record at once, and a restart it causes names it; a pass or recovery is
 * recorded only after the world answered a passing probe, at most once per attempt.
 */
function checkHealth(world: SimWorld, log: EventEnvelope[]): void {
  const streaks = probeStreaks(world);
  const threshold = new Map<string, number>();
  const previous = new Map<string, EventEnvelope>();
  const failedAttempts = new Map<string, Set<number>>();
  const state = new Map<string, string>();
  for (const e of log) {
    const runId = runIdOfStream(e.streamId);
    if (!runId) continue;
    const key = (n: number): string => `${runId}/${n}`;
    if (e.type === 'RunRequested' && e.data.spec.health) threshold.set(runId, e.data.spec.health.failureThreshold);
    if (e.type === 'HealthCheckFailed') {
      const d = e.data;
      const seen = streaks.get(key(d.attempt))?.maxFailures ?? 0;
      expect(d.consecutiveFailures, `run ${runId} attempt ${d.attempt}: failed only past the threshold`).toBeGreaterThanOrEqual(
        threshold.get(runId)!,
      );
      expect(
        seen,
        `run ${runId} attempt ${d.attempt}: the world answered ${d.consecutiveFailures} failures in a row`,
      ).toBeGreaterThanOrEqual(d.consecutiveFailures);
      expect(Object.keys(d.evidence).length, 'a health failure carries the evidence').toBeGreaterThan(1);
      expect(state.get(key(d.attempt)), `run ${runId} attempt ${d.attempt}: one HealthCheckFailed per crossing`).not.toBe('unhealthy');
      state.set(key(d.attempt), 'unhealthy');
      failedAttempts.set(runId, (failedAttempts.get(runId) ?? new Set()).add(d.attempt));
    }
    if (e.type === 'HealthCheckPassed' || e.type === 'HealthRecovered') {
      const n = e.data.attempt;
      expect(streaks.get(key(n))?.passed, `run ${runId} attempt ${n}: ${e.type} after a passing probe`).toBe(true);
      expect(state.get(key(n)), `run ${runId} attempt ${n}: ${e.type} only on a change`).not.toBe('healthy');
      if (e.type === 'HealthCheckPassed') expect(state.has(key(n)), `run ${runId} attempt ${n}: passed at most once`).toBe(false);
      else expect(failedAttempts.has(runId), `run ${runId}: a recovery follows a failure`).toBe(true);
      state.set(key(n), 'healthy');
    }
    if (e.type === 'StopRequested' && e.data.reason === 'unhealthy')
      expect(previous.get(runId)?.type, `run ${runId}: an unhealthy stop follows its HealthCheckFailed`).toBe('HealthCheckFailed');
    if (e.type === 'RestartScheduled' && e.data.reason.startsWith('stopped (unhealthy)'))
      expect(failedAttempts.get(runId)?.has(e.data.attempt), `run ${runId}: a restart for health names a recorded failure`).toBe(true);
    previous.set(runId, e);
  }
}

/** Live processes of attempts the log says have ended (e.g. a grandchild of a child that exited by itself). */
export function leftovers(world: SimWorld, replay: RunsState): string[] {
  const out: string[] = [];
  for (const run of replay.runs.values()) {
    for (const a of run.attempts) {
      if (a.status === 'running') continue;
      for (const p of world.host.table.procs.values())
        if (p.owner === `${run.id}/${a.n}` && p.state === 'alive') out.push(`${p.owner} ${p.role}`);
    }
  }
  return out;
}

/** Everything still running that the log never heard of (a spawn whose record was lost). */
export function orphans(world: SimWorld, log: EventEnvelope[]): string[] {
  const recorded = new Set(
    log.filter((e) => e.type === 'ProcessSpawned').map((e) => `${runIdOfStream(e.streamId)}/${(e.data as { attempt: number }).attempt}`),
  );
  return [...world.host.table.procs.values()]
    .filter((p) => p.state === 'alive' && p.role === 'leader' && !recorded.has(p.owner))
    .map((p) => p.owner);
}
