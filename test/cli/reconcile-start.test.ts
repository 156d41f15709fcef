/**
 * `runledger reconcile` when no daemon runs (issue 11, case 10): starting the
 * daemon runs its own reconcile pass, which does the work; the CLI reports
 * that pass instead of an empty second one.
 */
import { afterEach, expect, it } from 'vitest';
import { Home, isAlive } from './helpers.js';

const SLOW = 120_000;
const homes: Home[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
}, SLOW);

it(
  "reports the start-up pass of the daemon it had to start, with that pass's findings",
  async () => {
    const home = new Home();
    homes.push(home);
    const run = await home.start(['--', 'sleep', '60']);
    expect((await home.cli(['daemon', 'stop'])).code).toBe(0);
    expect(isAlive(run.attempts[0].pid)).toBe(true);

    const r = await home.cli(['--json', 'reconcile']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ checked: 1, adopted: 1, pass: 'daemon-start' });

    // With a daemon running, the pass is the one just asked for.
    const again = await home.json(['reconcile']);
    expect(again).toMatchObject({ checked: 1, adopted: 0, pass: 'on-demand' });

    expect((await home.cli(['daemon', 'stop'])).code).toBe(0);
    const human = await home.cli(['reconcile']);
    expect(human.stdout).toMatch(/daemon was not running.*start-up/i);
    expect(human.stdout).toMatch(/adopted\s+1/);
  },
  SLOW,
);
