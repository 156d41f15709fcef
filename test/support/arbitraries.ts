/**
 * fast-check arbitraries for VALID ledgers: several runs, each following the
 * status machine (request -> spawn -> ready -> checkpoints -> stop/signals ->
 * exit -> restart or end; reconcile findings; in-flight runs cut short), their
 * streams interleaved in time, plus the supervisor stream (start, reconcile,
 * a restart). Valid means: folding it records no anomaly.
 *
 * Reuse:
 *   fc.assert(fc.asyncProperty(ledgerEventsArb(), async (events) => {
 *     const store = createMemoryLedger();
 *     await appendGenerated(store, events);   // or toEnvelopes(events) for pure folds
 *   }));
 *
 * Invariants the generated log keeps (rely on them in reconcile/simulator tests):
 * - per run: one RunRequested first; attempts numbered 1..n in order; each
 *   attempt ends exactly once; RunEnded is last; slots and keys are unique per
 *   run (so never two active runs in one slot);
 * - times never go backwards in the merged log; a restart's spawn is at or after
 *   its `at`, a SIGKILL at or after its stop's `escalateAt`;
 * - not tied across streams: a ProcessAdopted names a supervisor id from the
 *   supervisor stream, but reconcile report counts are arbitrary.
 */
import fc from 'fast-check';
import { isoTime } from '../../src/clock.js';
import { GENESIS_HASH, SUPERVISOR_STREAM, type EventEnvelope, type RunledgerEvent } from '../../src/events/envelope.js';
import { currentSchemaVersion } from '../../src/events/upcast.js';
import type { EventStore } from '../../src/store/event-store.js';
import { scriptRun, type AttemptEndPlan, type AttemptPlan, type GeneratedEvent, type RunPlan, type TimedEvent } from './run-script.js';

export type { AttemptPlan, GeneratedEvent, RunPlan } from './run-script.js';
export { scriptRun, specOf } from './run-script.js';

/** 2025-01-01T00:00:00Z: generated times are this plus each event's virtual ms. */
export const SCENARIO_EPOCH_MS = Date.UTC(2025, 0, 1);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.split('');

/** A syntactically valid ULID (timestamp part fixed to 2024-ish, the rest random). */
export const ulidArb: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...CROCKFORD), { minLength: 16, maxLength: 16 })
  .map((cs) => `01J0000000${cs.join('')}`);

/** true about one time in five. */
const rarely = fc.constantFrom(false, false, false, false, true);

const attemptEndArb: fc.Arbitrary<AttemptEndPlan> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('exit' as const), exitCode: fc.constantFrom(0, 1, 2, 137) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recovered' as const), exitCode: fc.constantFrom(0, 7) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('stop' as const),
      reason: fc.constantFrom('user' as const, 'interrupt' as const, 'shutdown' as const),
      escalate: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('timeout' as const), escalate: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: 'stale' as const }, { kind: 'unknown' as const }, { kind: 'spawn-failed' as const }) },
);

export const attemptPlanArb: fc.Arbitrary<AttemptPlan> = fc.record({
  ready: fc.constantFrom('ready' as const, 'ready' as const, 'ready' as const, 'failed' as const),
  checkpoints: fc.array(fc.record({ phase: fc.constantFrom('build', 'test', 'deploy'), pct: fc.integer({ min: 0, max: 100 }) }), {
    maxLength: 3,
  }),
  adopted: fc.boolean(),
  end: attemptEndArb,
  stopDuringBackoff: rarely,
});

const ownerArb = fc.record(
  { session: fc.constantFrom('s1', 's2'), turn: fc.constantFrom('t1', 't2'), toolCall: fc.constantFrom('c1', 'c2') },
  { requiredKeys: [] },
);

/** One run's plan; slot and key (when present) are derived from the run id, so they are unique per run. */
export const runPlanArb: fc.Arbitrary<RunPlan> = fc
  .record({
    runId: ulidArb,
    command: fc.constantFrom('node', 'npm', 'python3'),
    args: fc.array(fc.constantFrom('server.js', 'test', '--watch', 'a b'), { maxLength: 3 }),
    name: fc.constantFrom('web', 'build', 'test', 'worker'),
    labels: fc.dictionary(fc.constantFrom('team', 'env'), fc.constantFrom('a', 'b'), { maxKeys: 2 }),
    owner: ownerArb,
    hasSlot: fc.boolean(),
    hasKey: fc.boolean(),
    graceMs: fc.constantFrom(0, 2000, 10_000),
    readyCheck: fc.boolean(),
    batchId: fc.option(fc.constantFrom('batch-1', 'batch-2'), { nil: null }),
    stopWhilePending: rarely,
    attempts: fc.array(attemptPlanArb, { minLength: 1, maxLength: 3 }),
    keep: fc.option(fc.nat({ max: 40 }), { nil: null }),
    startAt: fc.nat({ max: 60_000 }),
    gaps: fc.array(fc.nat({ max: 5000 }), { minLength: 1, maxLength: 6 }),
  })
  .map((r) => ({
    runId: r.runId,
    spec: {
      command: r.command,
      args: r.args,
      shell: false,
      cwd: '/work/app',
      env: {},
      redactedEnv: [],
      name: r.name,
      labels: r.labels,
      owner: r.owner,
      slot: r.hasSlot ? `slot-${r.runId.slice(-5)}` : null,
      key: r.hasKey ? `key-${r.runId.slice(-5)}` : null,
      stopSignal: 'SIGTERM',
      graceMs: r.graceMs,
      logs: { maxBytes: 1_048_576, keep: 3 },
      runtime: 'background' as const,
    },
    readyCheck: r.readyCheck,
    batchId: r.batchId,
    stopWhilePending: r.stopWhilePending,
    attempts: r.attempts,
    keep: r.keep,
    startAt: r.startAt,
    gaps: r.gaps,
  }));

export interface SupervisorPlan {
  /** Virtual ms at which the supervisor restarts (sup-1 -> sup-2), if it does. */
  restartAt: number | null;
  /** sup-x stops at the very end, leaving runs behind. */
  stopsAtEnd: boolean;
}

export const supervisorPlanArb: fc.Arbitrary<SupervisorPlan> = fc.record({
  restartAt: fc.option(fc.nat({ max: 120_000 }), { nil: null }),
  stopsAtEnd: fc.boolean(),
});

export interface LedgerOptions {
  /** Most runs in one log (default 4). */
  maxRuns?: number;
  /** Include the supervisor stream (default true). */
  supervisor?: boolean;
}

/** A whole valid log: runs interleaved in time, with the supervisor stream. */
export function ledgerEventsArb(options: LedgerOptions = {}): fc.Arbitrary<GeneratedEvent[]> {
  const runs = fc.uniqueArray(runPlanArb, { selector: (p) => p.runId, minLength: 1, maxLength: options.maxRuns ?? 4 });
  const sup = options.supervisor === false ? fc.constant(null) : supervisorPlanArb;
  return fc.tuple(runs, sup).map(([plans, supPlan]) => buildLedger(plans, supPlan));
}

/** Plans -> one merged, time-ordered log. Exported for hand-written scenarios. */
export function buildLedger(plans: readonly RunPlan[], supervisor: SupervisorPlan | null): GeneratedEvent[] {
  const adopter = supervisor?.restartAt != null ? 'sup-2' : 'sup-1';
  const streams = [supervisor ? scriptSupervisor(supervisor) : [], ...plans.map((p) => scriptRun(p, adopter))];
  const end = Math.max(0, ...streams.flat().map((e) => e.at));
  if (supervisor?.stopsAtEnd) {
    const id = supervisor.restartAt != null ? 'sup-2' : 'sup-1';
    streams[0]!.push({
      at: end,
      streamId: SUPERVISOR_STREAM,
      event: { type: 'SupervisorStopped', data: { supervisorId: id, reason: 'SIGTERM', leftRunning: 0 } },
    });
  }
  // A stable sort on time keeps each stream's own order (its times never decrease).
  return streams
    .flat()
    .sort((a, b) => a.at - b.at)
    .map(({ at, event, streamId }) => ({ ...event, streamId, time: isoTime(SCENARIO_EPOCH_MS + at) }) as GeneratedEvent);
}

function scriptSupervisor(plan: SupervisorPlan): TimedEvent[] {
  const at = (t: number, event: RunledgerEvent): TimedEvent => ({ at: t, event, streamId: SUPERVISOR_STREAM });
  const start = (t: number, id: string): TimedEvent[] => [
    at(t, { type: 'SupervisorStarted', data: { supervisorId: id, pid: 4242, version: '0.1.0', bootId: 'boot-1', hostname: 'sim' } }),
    at(t, {
      type: 'ReconcileCompleted',
      data: { supervisorId: id, report: { checked: 0, adopted: 0, recovered: 0, stale: 0, unknown: 0, resumedStops: 0 } },
    }),
  ];
  const out = start(0, 'sup-1');
  if (plan.restartAt != null) {
    out.push(
      at(plan.restartAt, { type: 'SupervisorStopped', data: { supervisorId: 'sup-1', reason: 'crashed', leftRunning: 1 } }),
      ...start(plan.restartAt, 'sup-2'),
    );
  }
  return out;
}

/**
 * Envelopes as a store would assign them (positions from 1, stream versions,
 * ULID-shaped ids, placeholder hashes): for pure folds that need no store.
 */
export function toEnvelopes(events: readonly GeneratedEvent[]): EventEnvelope[] {
  const versions = new Map<string, number>();
  return events.map((e, i) => {
    const streamVersion = (versions.get(e.streamId) ?? 0) + 1;
    versions.set(e.streamId, streamVersion);
    const position = i + 1;
    return {
      ...e,
      position,
      streamVersion,
      id: `01J${String(position).padStart(23, '0')}`,
      schemaVersion: currentSchemaVersion(e.type),
      prevHash: GENESIS_HASH,
      hash: GENESIS_HASH,
    } as EventEnvelope;
  });
}

/** Append in log order; consecutive events of one stream go in one append, like the supervisor's batches. */
export async function appendGenerated(store: EventStore, events: readonly GeneratedEvent[]): Promise<number[]> {
  const positions: number[] = [];
  for (let i = 0; i < events.length; ) {
    let j = i + 1;
    while (j < events.length && events[j]!.streamId === events[i]!.streamId) j++;
    const batch = events.slice(i, j).map(({ streamId: _s, ...e }) => e);
    positions.push(...(await store.append(events[i]!.streamId, batch)).positions);
    i = j;
  }
  return positions;
}
