/**
 * Issue 11, case 1, as a user did it: `run -- sleep 1099`, then `kill -9` of
 * the child's parent (the shim). The run must stay active, `show` must say
 * the shim was lost, and `stop` must still kill the sleep.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home, isAlive, waitUntil } from './helpers.js';

let home: Home;
beforeAll(() => {
  home = new Home();
});
afterAll(async () => {
  await home.cleanup();
});

const parentOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};

describe("kill -9 of a run's shim", () => {
  it('leaves the run running, show tells the shim was lost, stop kills the child and says its code is unknown', async () => {
    const run = await home.start(['--grace', '2s', '--', 'sleep', '1099']);
    const pid = run.attempts[0].pid as number;
    const shim = parentOf(pid);
    expect(shim).not.toBe(1);
    process.kill(shim, 'SIGKILL');

    await waitUntil(
      async () => (await home.json(['show', run.id])).timeline.some((t: any) => t.type === 'ShimLost'),
      'ShimLost in show',
      40,
      100,
    );
    const shown = await home.json(['show', run.id]);
    expect(shown.run.status).toBe('running');
    expect(isAlive(pid)).toBe(true);
    const human = await home.cli(['show', run.shortId]);
    expect(human.stdout).toContain(`shim ${shim} lost`);

    const stopped = await home.json(['stop', run.id]);
    expect(stopped.runs[0]).toMatchObject({ status: 'stopped' });
    expect(stopped.runs[0].reason).toContain('code unknown (shim lost)');
    expect(isAlive(pid)).toBe(false);
  });
});
