/**
 * The library path of env capture: an embedded supervisor closed mid-run and
 * opened again spawns the next attempt with the environment captured at start,
 * not with this process's own.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { fixture, Harness, waitUntil } from './support.js';

const h = new Harness();
afterEach(() => h.cleanup());

const printed = (home: string, runId: string, n: number): string => {
  const file = join(home, 'runs', runId, String(n), 'stdout.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};

it('attempt 2, spawned by the next supervisor, gets the captured environment', async () => {
  const home = h.home();
  const gate = join(home, 'go');
  const first = await h.open(home);
  const { run } = await first.supervisor.start(
    {
      command: process.execPath,
      args: [fixture('print-env-until.mjs'), gate, 'FOO', 'RL_ONLY_HERE'],
      restart: { policy: 'on-failure', maxRestarts: 1 },
    },
    { baseEnv: { PATH: process.env.PATH, FOO: 'from-caller' } },
  );
  h.trackRun(run);
  await waitUntil(() => printed(home, run.id, 1).includes('FOO=from-caller'), 'attempt 1 output', 2400);
  await first.close();

  // This process's environment has a variable the run never had: attempt 2 must not see it.
  process.env.RL_ONLY_HERE = 'leaked';
  try {
    const second = await h.open(home);
    writeFileSync(gate, '');
    await waitUntil(() => printed(home, run.id, 2).includes('RL_ONLY_HERE='), 'attempt 2 output', 2400);
    expect(printed(home, run.id, 2)).toBe('FOO=from-caller\nRL_ONLY_HERE=\n');
    h.trackRun(second.supervisor.get(run.id));
  } finally {
    delete process.env.RL_ONLY_HERE;
  }
}, 120_000);
