/** Run one command sequence in a fresh world, checking invariants after every step. */
import fc from 'fast-check';
import { SimWorld } from '../../src/sim/index.js';
import type { SimCommand, SimModel } from './commands.js';
import { checkInvariants, newInvariantState } from './invariants.js';
import { captureUnhandled } from './unhandled.js';

export const stats = {
  sequences: 0,
  steps: 0,
  crashes: 0,
  unhandled: 0,
  failedWrites: 0,
  events: 0,
  runs: 0,
  respawnedAttempts: 0,
  maxCallWaitMs: 0,
  healthProbes: 0,
};

export async function runSequence(seed: number, cmds: Iterable<SimCommand>): Promise<SimWorld> {
  const world = new SimWorld({ seed });
  // An unhandled rejection ends a Node process: model it as the supervisor crashing.
  const unhandled = captureUnhandled((reason) => {
    if (process.env.SIM_DEBUG) console.log('unhandled', reason);
    world.crash();
  });
  try {
    await world.boot();
    const model: SimModel = { world, inv: newInvariantState(), runs: [], crashes: 0, steps: 0 };
    await checkInvariants(world, model.inv);
    await fc.asyncModelRun(() => ({ model, real: world }), cmds);
    // A spawn is never repeated for an attempt (an unrecorded one is discovered), and no
    // background work ever escapes as an unhandled rejection (it would kill a daemon).
    if (world.host.respawned.length > 0) throw new Error(`attempts spawned twice: ${world.host.respawned.join(', ')}`);
    if (unhandled.reasons.length > 0) throw new Error(`unhandled rejections: ${unhandled.reasons.map(String).join('; ')}`);
    stats.sequences += 1;
    stats.crashes += world.crashes;
    stats.unhandled += unhandled.reasons.length;
    stats.failedWrites += world.disk.failedWrites;
    stats.events += world.disk.backend.lines.length;
    stats.steps += model.steps;
    stats.runs += model.runs.length;
    stats.respawnedAttempts += world.host.respawned.length;
    stats.maxCallWaitMs = Math.max(stats.maxCallWaitMs, world.callWaitMs);
    stats.healthProbes += world.host.probes.length;
    return world;
  } finally {
    unhandled.restore();
  }
}
