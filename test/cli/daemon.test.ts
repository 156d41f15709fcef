/** The daemon's life as the CLI sees it: the auto-start race, and kill -9 mid-run. */
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

const events = async (home: Home, type: string) =>
  (await home.cli(['events', '--json', '--type', type])).stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe('daemon auto-start', () => {
  it('4 concurrent runs on a fresh home start exactly one daemon', async () => {
    const home = newHome();
    const results = await Promise.all([1, 2, 3, 4].map((i) => home.cli(['--json', 'run', '--name', `r${i}`, '--', 'sleep', '60'])));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const runs = results.map((r) => JSON.parse(r.stdout).run);
    runs.forEach((r) => home.track(r));
    const status = await home.json(['daemon', 'status']);
    expect(status.running).toBe(true);
    expect(status.pid).toBe(home.daemonPid());
    // One daemon, one supervisor: exactly one SupervisorStarted in the ledger.
    expect(await events(home, 'SupervisorStarted')).toHaveLength(1);
    const listed = await home.json(['ps']);
    expect(listed.runs.map((r: any) => r.name).sort()).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('daemon start / stop / status for people', async () => {
    const home = newHome();
    expect((await home.cli(['daemon', 'status'])).stdout).toMatch(/^not running/);
    const started = await home.cli(['daemon', 'start']);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^running pid \d+/);
    const run = await home.start(['--', 'sleep', '60']);
    const stopped = await home.cli(['daemon', 'stop', '--stop-runs', '--json']);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ stopped: true });
    const after = await home.json(['ps', '--all']);
    expect(after.source).toBe('ledger');
    expect(after.runs.find((r: any) => r.id === run.id).status).toBe('stopped');
    expect((await home.cli(['daemon', 'stop'])).stdout).toMatch(/no daemon was running/);
  });
});

describe('kill -9 of the daemon mid-run', () => {
  it('ps is still right, and the next daemon adopts the run', async () => {
    const home = newHome();
    const run = await home.start(['--', 'sleep', '60']);
    const pid = run.attempts[0].pid;
    const daemon = home.daemonPid()!;
    process.kill(daemon, 'SIGKILL');
    await waitUntil(() => !isAlive(daemon), 'the daemon to die');
    const seen = await home.json(['ps']);
    expect(seen.source).toBe('ledger');
    expect(seen.runs.find((r: any) => r.id === run.id)).toMatchObject({ status: 'running' });
    expect(seen.runs.find((r: any) => r.id === run.id).attempts[0].pid).toBe(pid);
    expect(isAlive(pid)).toBe(true);
    // People are told that nobody is watching these processes right now.
    expect((await home.cli(['ps'])).stdout).toContain('no daemon is running: active runs are shown as last recorded');
    // The next mutating command starts a daemon; its reconcile adopts the live child.
    const other = await home.start(['--', 'sleep', '60']);
    const after = await home.json(['ps']);
    expect(after.source).toBe('daemon');
    expect(after.runs.map((r: any) => r.id).sort()).toEqual([run.id, other.id].sort());
    expect(after.runs.find((r: any) => r.id === run.id)).toMatchObject({ status: 'running' });
    expect(await events(home, 'ProcessAdopted')).toHaveLength(1);
    // And a child that died while nobody watched is found out, not left "running".
    process.kill(-run.attempts[0].pgid, 'SIGKILL');
    await waitUntil(() => !isAlive(pid), 'the child to die');
    await waitUntil(async () => (await home.json(['show', run.id])).run.status !== 'running', 'the run to end');
    expect((await home.ledger()).ok).toBe(true);
  });
});
