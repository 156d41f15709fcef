/**
 * Health in the simulated world (issue 13), through the same runner and
 * invariants as the model test: the fake probe fails in a window of the
 * attempt's life, the supervisor restarts it only past the threshold and
 * records why, and a supervisor crash resumes probing from the log.
 */
import { describe, expect, it, vi } from 'vitest';
import type { EventEnvelope } from '../../src/events/index.js';
import { Advance, Boot, CrashNow, Start, type StartPlan } from './commands.js';
import { runSequence } from './run-sequence.js';

// Hoisted above the imports: the factory loads its helper itself.
vi.mock('node:fs/promises', async (orig) => (await import('./fs-mock.js')).simFsMock(orig as never));

const plan: StartPlan = {
  session: 'A',
  ready: 'none',
  readyAfterMs: 0,
  restart: 'always',
  maxRestarts: 1,
  backoffMs: 0,
  graceMs: 0,
  ignoreTerm: false,
  grandchild: 'none',
  checkpoint: false,
  missing: false,
  health: { kind: 'http', fromMs: 250, toMs: null, threshold: 3, intervalMs: 100 },
};

async function logOf(cmds: ConstructorParameters<typeof Array<any>>): Promise<EventEnvelope[]> {
  const world = await runSequence(7, cmds as never);
  return (await world.inspector()).readAll();
}

describe('health under simulation', () => {
  it('never healthy: each attempt is restarted after 3 failed probes, with the evidence, until max restarts', async () => {
    const sick: StartPlan = { ...plan, health: { ...plan.health!, fromMs: 0 } };
    const log = await logOf([new Start(sick), new Advance(500), new Advance(500), new Advance(500), new Advance(500)]);
    const run = log.filter((e) => e.streamId.startsWith('run-'));
    const failed = run.filter((e) => e.type === 'HealthCheckFailed');
    expect(failed.map((e) => e.data)).toEqual([
      expect.objectContaining({ attempt: 1, consecutiveFailures: 3, evidence: expect.objectContaining({ status: 503 }) }),
      expect.objectContaining({ attempt: 2, consecutiveFailures: 3 }),
    ]);
    expect(run.filter((e) => e.type === 'HealthCheckPassed')).toEqual([]);
    const restart = run.find((e) => e.type === 'RestartScheduled')!;
    expect((restart.data as { reason: string }).reason).toMatch(/^stopped \(unhealthy\)/);
    expect(run.at(-1)).toMatchObject({ type: 'RunEnded', data: { status: 'failed' } });
  });

  it('healthy, then unhealthy after min-uptime: a fresh restart count each time (as for a crash after min-uptime)', async () => {
    const log = await logOf([new Start(plan), new Advance(500), new Advance(500), new Advance(500)]);
    const restarts = log.filter((e) => e.type === 'RestartScheduled').map((e) => e.data as { reason: string; countReset?: boolean });
    expect(restarts.length).toBeGreaterThanOrEqual(2);
    expect(restarts.slice(1).every((r) => r.countReset === true && r.reason.startsWith('stopped (unhealthy)'))).toBe(true);
    expect(log.some((e) => e.type === 'RunEnded')).toBe(false);
  });

  it('a window that ends: policy never keeps the attempt, marks it unhealthy, then recovered; a crash in between resumes probing', async () => {
    const never: StartPlan = { ...plan, restart: 'never', health: { ...plan.health!, fromMs: 300, toMs: 900 } };
    const log = await logOf([new Start(never), new Advance(650), new CrashNow(), new Boot(), new Advance(800)]);
    const health = log.filter((e) => e.type.startsWith('Health')).map((e) => e.type);
    expect(health).toEqual(['HealthCheckPassed', 'HealthCheckFailed', 'HealthRecovered']);
    expect(log.some((e) => e.type === 'StopRequested')).toBe(false);
  });
});
