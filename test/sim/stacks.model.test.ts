/**
 * Stacks under simulation: random stacks (a DAG of processes that get ready,
 * exit 0 or fail after random delays, with random conditions) and random
 * sequences of up, down, time and crashes; the stack invariants
 * (stack-invariants.ts) and the supervisor's own are checked after every step.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { SimWorld } from '../../src/sim/index.js';
import { stackDown } from '../../src/stacks/apply-down.js';
import { stackUp } from '../../src/stacks/apply-up.js';
import { CONDITIONS, type PlannedProcess, type StackPlan } from '../../src/stacks/plan.js';
import { simParams } from './config.js';
import { checkInvariants, newInvariantState } from './invariants.js';
import { checkStackInvariants } from './stack-invariants.js';
import { captureUnhandled } from './unhandled.js';

vi.mock('node:fs/promises', async (orig) => (await import('./fs-mock.js')).simFsMock(orig as never));

interface ProcPlan {
  readyAfterMs: number | null;
  exit: { afterMs: number; code: number } | null;
  deps: { on: number; condition: (typeof CONDITIONS)[number] }[];
}

const procArb: fc.Arbitrary<ProcPlan> = fc.record({
  readyAfterMs: fc.option(fc.integer({ min: 0, max: 800 })),
  exit: fc.option(fc.record({ afterMs: fc.integer({ min: 1, max: 1500 }), code: fc.constantFrom(0, 0, 1) })),
  deps: fc.array(fc.record({ on: fc.nat(), condition: fc.constantFrom(...CONDITIONS) }), { maxLength: 2 }),
});

/** Process i may only depend on processes before it: a DAG by construction (cycles are the loader's business). */
function planOf(procs: ProcPlan[]): StackPlan {
  const processes: PlannedProcess[] = procs.map((p, i) => {
    const args: string[] = [];
    if (p.readyAfterMs !== null) args.push(`--ready-after=${p.readyAfterMs}`);
    if (p.exit) args.push(`--exit-after=${p.exit.afterMs}:${p.exit.code}`);
    const dependsOn: PlannedProcess['dependsOn'] = {};
    if (i > 0) for (const d of p.deps) dependsOn[`p${d.on % i}`] = d.condition;
    return {
      name: `p${i}`,
      group: `p${i}`,
      dependsOn,
      spec: { command: 'sim', args, grace: 200, ...(p.readyAfterMs !== null ? { ready: { line: '^never-printed', timeout: 1000 } } : {}) },
    };
  });
  return { name: 'simstack', file: '/sim/runledger.yaml', processes };
}

type Step = { kind: 'up' | 'down'; only: number | null; wait: boolean } | { kind: 'advance'; ms: number } | { kind: 'crash' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('up' as const), only: fc.option(fc.nat()), wait: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('down' as const), only: fc.option(fc.nat()), wait: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
);

const EXPECTED = new Set(['DEPENDENCY_FAILED', 'DEPENDENCY_TIMEOUT', 'LEDGER_IO']);
const seen = { starts: 0, stops: 0, sequences: 0 };

describe('stacks under simulation', () => {
  it('never starts a process before its dependencies held, never stops a dependency before its dependents', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.array(procArb, { minLength: 2, maxLength: 5 }),
        fc.array(stepArb, { minLength: 1, maxLength: 12 }),
        async (seed, procs, steps) => {
          const plan = planOf(procs);
          const world = new SimWorld({ seed });
          const unhandled = captureUnhandled(() => world.crash());
          try {
            await world.boot();
            const inv = newInvariantState();
            for (const step of steps) {
              if (step.kind === 'advance') await world.advance(step.ms);
              else if (step.kind === 'crash') {
                world.crash();
                await world.boot();
              } else {
                if (!world.up) await world.boot();
                const only = step.only === null ? undefined : [`p${step.only % procs.length}`];
                const r = await world.call((sup) => {
                  const ctx = { supervisor: sup, stderrTail: async () => [] };
                  return step.kind === 'up'
                    ? stackUp(ctx, plan, { timeoutMs: 5000, wait: step.wait, ...(only ? { only } : {}) })
                    : stackDown(ctx, plan, { wait: step.wait, ...(only ? { only } : {}) });
                });
                if (r.kind === 'error' && !EXPECTED.has((r.error as { code?: string }).code ?? ''))
                  throw new Error(`${step.kind} failed: ${String((r.error as Error)?.stack ?? r.error)}`);
              }
              await world.settle();
              const { log } = await checkInvariants(world, inv);
              const counted = checkStackInvariants(log, plan);
              seen.starts = Math.max(seen.starts, counted.starts);
              seen.stops = Math.max(seen.stops, counted.stops);
            }
            expect(unhandled.reasons).toEqual([]);
            seen.sequences += 1;
          } finally {
            unhandled.restore();
          }
        },
      ),
      simParams(200),
    );
    // The property must not pass vacuously: stacks were started and stopped.
    expect(seen.starts).toBeGreaterThan(3);
    expect(seen.stops).toBeGreaterThan(1);
  }, 600_000);
});
