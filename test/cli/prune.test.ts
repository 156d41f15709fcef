/** `prune` and the daemon's retention: ended runs' log files go, live ones stay, the ledger says what went. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home, waitUntil } from './helpers.js';

let home: Home;
let ended: any;
let live: any;
const attemptDir = (run: any, n = 1) => join(home.dir, 'runs', run.id, String(n));
const events = async (type: string) =>
  (await home.cli(['events', '--type', type, '--json'])).stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

beforeAll(async () => {
  home = new Home();
  ended = (await home.json(['run', '--wait', '--', 'sh', '-c', 'echo old output; echo old err >&2'])).run;
  live = await home.start(['--', 'sh', '-c', 'echo still here; exec sleep 600']);
  await waitUntil(async () => (await home.cli(['logs', live.id])).stdout === 'still here\n', 'the live run to print', 600);
  // The ended run must be older than the cutoff: wait until a second has passed since it ended.
  await waitUntil(() => Date.now() - Date.parse(ended.endedAt) > 1500, 'the ended run to age', 600);
}, 120_000);
afterAll(async () => {
  await home.cleanup();
});

describe('prune', () => {
  it('--dry-run lists what would go and deletes nothing', async () => {
    const report = await home.json(['prune', '--older-than', '1s', '--dry-run']);
    expect(report).toMatchObject({ dryRun: true, olderThan: '1s', position: null });
    expect(report.runs.map((r: any) => r.runId)).toEqual([ended.id]);
    expect(report.bytes).toBeGreaterThan(0);
    expect(existsSync(join(attemptDir(ended), 'stdout.log'))).toBe(true);
    expect(await events('LogsPruned')).toEqual([]);
    expect((await home.cli(['prune', '--older-than', '1s', '--dry-run'])).stdout).toMatch(/would delete the logs of 1 run/);
  }, 120_000);

  it('deletes ended runs’ attempt dirs, records LogsPruned, never touches a live run', async () => {
    const report = await home.json(['prune', '--older-than', '1s']);
    expect(report).toMatchObject({ dryRun: false, attempts: 1 });
    expect(report.runs.map((r: any) => r.runId)).toEqual([ended.id]);
    expect(existsSync(attemptDir(ended))).toBe(false);
    expect(existsSync(join(attemptDir(live), 'stdout.log'))).toBe(true);
    expect((await home.cli(['logs', live.id])).stdout).toBe('still here\n');
    const [event] = await events('LogsPruned');
    expect(event.position).toBe(report.position);
    expect(event.data).toMatchObject({ olderThan: '1s', trigger: 'command', attempts: 1, bytes: report.bytes });
    expect(event.data.runs).toEqual([{ runId: ended.id, attempts: 1, bytes: report.bytes }]);
    // The ledger is intact and still has the run's whole history.
    expect((await home.ledger()).ok).toBe(true);
    expect((await home.json(['show', ended.id])).timeline.at(-1).type).toBe('RunEnded');
    // A second pass finds nothing and records nothing.
    expect((await home.json(['prune', '--older-than', '1s'])).position).toBe(null);
    expect(await events('LogsPruned')).toHaveLength(1);
  }, 120_000);

  it('logs of a pruned run says when and by which event, with a daemon and without', async () => {
    const [event] = await events('LogsPruned');
    for (const pass of ['daemon', 'ledger']) {
      if (pass === 'ledger') expect((await home.cli(['daemon', 'stop'])).code).toBe(0);
      const human = await home.cli(['logs', ended.id]);
      expect(human.code).toBe(1);
      expect(human.stderr).toContain('LOGS_PRUNED');
      expect(human.stderr).toContain(`event #${event.position}`);
      expect(human.stderr).toContain(event.time);
      expect(human.stderr).not.toMatch(/ENOENT|    at /);
      expect((await home.json(['show', ended.id])).run.logsPruned).toEqual({ at: event.time, position: event.position });
      expect((await home.cli(['show', ended.id])).stdout).toContain(`pruned at ${event.time} (LogsPruned, event #${event.position})`);
      const json = await home.cli(['logs', ended.id, '--json']);
      expect(JSON.parse(json.stderr).error).toMatchObject({
        code: 'LOGS_PRUNED',
        details: { position: event.position, prunedAt: event.time },
      });
    }
  }, 120_000);

  it('bad input is USAGE naming the flag', async () => {
    const missing = await home.cli(['prune']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--older-than');
    const bad = await home.cli(['prune', '--older-than', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--older-than');
  });
});

describe('retention from the home config', () => {
  let other: Home;
  afterAll(async () => {
    await other?.cleanup();
  });

  it('the daemon prunes ended runs older than retention.logs when it starts', async () => {
    other = new Home();
    const run = (await other.json(['run', '--wait', '--', 'sh', '-c', 'echo to be pruned'])).run;
    expect((await other.cli(['daemon', 'stop'])).code).toBe(0);
    writeFileSync(join(other.dir, 'runledger.config.json'), JSON.stringify({ retention: { logs: '1s' } }));
    await waitUntil(() => Date.now() - Date.parse(run.endedAt) > 1500, 'the run to age', 600);
    expect((await other.cli(['daemon', 'start'])).code).toBe(0);
    await waitUntil(
      async () => (await other.cli(['events', '--type', 'LogsPruned'])).stdout.includes('logs pruned'),
      'the retention pass',
      600,
    );
    const [event] = (await other.cli(['events', '--type', 'LogsPruned', '--json'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(event.data).toMatchObject({ trigger: 'retention', olderThan: '1s', runs: [{ runId: run.id }] });
    expect(readdirSync(join(other.dir, 'runs', run.id))).not.toContain('1');
    expect((await other.cli(['logs', run.id])).stderr).toContain('LOGS_PRUNED');
  }, 120_000);
});
