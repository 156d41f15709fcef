/** Whole-tree tracking through the CLI: `daemon status` says which and why; `show` says what a run left behind. */
import { afterEach, describe, expect, it } from 'vitest';
import { Home, isAlive, waitUntil } from './helpers.js';

const homes: Home[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});
const newHome = () => {
  const h = new Home();
  homes.push(h);
  return h;
};

/** The pid a run printed as `LEFT <pid>`; killed by pid at cleanup if it is still there. */
async function leftoverPid(home: Home, id: string): Promise<number> {
  let pid = 0;
  await waitUntil(async () => {
    pid = Number(/LEFT (\d+)/.exec((await home.cli(['logs', id])).stdout)?.[1] ?? 0);
    return pid > 0;
  }, 'the LEFT line');
  home.track({ attempts: [{ pgid: pid }] });
  return pid;
}

describe('tracking through the CLI', () => {
  it('daemon status names the tracking and why; the fallback is forced with RUNLEDGER_TRACKING=pgroup', async () => {
    const forced = newHome();
    await forced.cli(['daemon', 'start'], { env: { RUNLEDGER_TRACKING: 'pgroup' } });
    expect((await forced.json(['daemon', 'status'])).tracking).toEqual({ mode: 'process-group', detail: 'forced by RUNLEDGER_TRACKING' });
    expect((await forced.cli(['daemon', 'status'])).stdout).toContain('tracking  process-group (forced by RUNLEDGER_TRACKING)');
    const auto = newHome();
    await auto.cli(['daemon', 'start'], { env: { RUNLEDGER_TRACKING: 'auto' } });
    const status = await auto.json(['daemon', 'status']);
    // CI runs as root with a writable cgroup v2 (ARCHITECTURE.md, "Tracking").
    expect(status.tracking.mode).toBe('cgroup');
    expect((await auto.cli(['daemon', 'status'])).stdout).toContain(`tracking  cgroup (${status.tracking.detail})`);
  });

  it('case 2: run --shell "sleep & echo bye" ends its sleep and show says so; --keep-leftovers keeps it and says so', async () => {
    const home = newHome();
    const reaped = await home.start(['--shell', '--grace', '3s', '--', 'sleep 1005 & echo LEFT $!; echo bye']);
    const sleeper = await leftoverPid(home, reaped.id);
    await waitUntil(async () => (await home.json(['show', reaped.id])).run.status === 'completed', 'the run to complete');
    expect(isAlive(sleeper)).toBe(false);
    expect((await home.cli(['show', reaped.id])).stdout).toMatch(
      new RegExp(`attempt 1: reaped 1 leftover\\(s\\) with SIGTERM: ${sleeper} sleep`),
    );

    const kept = await home.start(['--shell', '--keep-leftovers', '--', 'sleep 1006 & echo LEFT $!; echo bye']);
    const keptPid = await leftoverPid(home, kept.id);
    await waitUntil(async () => (await home.json(['show', kept.id])).run.status === 'completed', 'the run to complete');
    expect(isAlive(keptPid)).toBe(true);
    expect((await home.cli(['show', kept.id])).stdout).toContain(`attempt 1: kept 1 leftover(s): ${keptPid} sleep`);
  });
});
