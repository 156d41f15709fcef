/**
 * Model-based simulation of the supervisor: random sequences of user
 * commands, child behaviour, time, crashes, pid reuse and disk failures,
 * with every invariant checked after every step. Reproduce a failure with
 * SIM_SEED=<seed> SIM_PATH=<path> npm run sim (both printed by fast-check).
 */
import fc from 'fast-check';
import { describe, it, vi } from 'vitest';
import { commandArbs } from './commands.js';
import { simParams } from './config.js';
import { runSequence, stats } from './run-sequence.js';

// Hoisted above the imports: the factory loads its helper itself.
vi.mock('node:fs/promises', async (orig) => (await import('./fs-mock.js')).simFsMock(orig as never));

describe('supervisor under simulation', () => {
  it('keeps every invariant under random commands, crashes and faults', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.commands(commandArbs, { maxCommands: 40, size: '+1' }),
        async (seed, cmds) => {
          await runSequence(seed, cmds);
        },
      ),
      simParams(3000),
    );
    console.log(`sim: ${JSON.stringify(stats)}`);
  }, 600_000);
});
