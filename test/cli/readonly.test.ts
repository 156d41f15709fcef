/** With no daemon, read-only commands answer from the ledger (`source: 'ledger'`) and never start one. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home } from './helpers.js';

let home: Home;
let sleeper: any;
let done: any;

beforeAll(async () => {
  home = new Home();
  sleeper = await home.start(['--name', 'left-running', '--', 'sh', '-c', 'echo alive; exec sleep 600']);
  done = (await home.json(['run', '--wait', '--', 'sh', '-c', 'echo one; echo two; echo oops >&2'])).run;
  // The daemon goes; its children stay (adopted by the next one).
  expect((await home.cli(['daemon', 'stop'])).code).toBe(0);
});
afterAll(async () => {
  await home.cleanup();
});

function expectNoDaemon() {
  expect(existsSync(join(home.dir, 'daemon.sock'))).toBe(false);
  expect(home.daemonPid()).toBe(null);
}

describe('read-only use with no daemon', () => {
  it('ps answers from the ledger', async () => {
    const list = await home.json(['ps', '--all']);
    expect(list.source).toBe('ledger');
    expect(list.runs.find((r: any) => r.id === sleeper.id)).toMatchObject({ status: 'running', name: 'left-running' });
    expect(list.runs.find((r: any) => r.id === done.id)).toMatchObject({ status: 'completed' });
    expect((await home.cli(['ps'])).stdout).toContain('left-running');
    expectNoDaemon();
  });

  it('show, logs, events, replay, verify, export', async () => {
    const shown = await home.json(['show', done.shortId]);
    expect(shown).toMatchObject({ source: 'ledger', run: { id: done.id } });
    expect(shown.timeline.at(-1).type).toBe('RunEnded');
    expect((await home.cli(['show', done.shortId])).stdout).toContain('timeline');
    expect((await home.cli(['logs', done.id, '--stdout'])).stdout).toBe('one\ntwo\n');
    expect((await home.cli(['logs', done.id, '-n', '1', '--stdout'])).stdout).toBe('two\n');
    expect((await home.cli(['logs', done.id, '--json', '--stderr'])).stdout).toBe('{"stream":"stderr","line":"oops"}\n');
    // -f on a finished run prints what there is and returns.
    expect((await home.cli(['logs', done.id, '-f', '--stdout'])).stdout).toBe('one\ntwo\n');
    const events = (await home.cli(['events', '--json'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.at(-1).type).toBe('SupervisorStopped');
    expect((await home.cli(['events', '--run', done.id])).stdout).toContain('RunEnded');
    const replay = await home.json(['replay', '--at', '2', '--all']);
    expect(replay).toMatchObject({ source: 'ledger', position: 2 });
    const verify = await home.json(['verify']);
    expect(verify).toMatchObject({ ok: true, source: 'ledger', head: { position: events.length, hash: events.at(-1).hash } });
    // Every event, then the signed trailer.
    expect((await home.cli(['export'])).stdout.trim().split('\n')).toHaveLength(events.length + 1);
    expectNoDaemon();
  });

  it('events -f says that following needs a daemon', async () => {
    const r = await home.cli(['events', '-f', '--type', 'SupervisorStopped']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SupervisorStopped');
    expect(r.stderr).toMatch(/no daemon is running/);
    expectNoDaemon();
  });

  it('daemon status says not running; a fresh home is left as it was', async () => {
    expect(await home.json(['daemon', 'status'])).toMatchObject({ running: false, pid: null });
    const fresh = new Home();
    try {
      expect(await fresh.json(['ps'])).toEqual({ source: 'ledger', runs: [], position: 0 });
      expect(await fresh.json(['verify'])).toMatchObject({ ok: true, head: { position: 0 } });
      expect(readdirSync(fresh.dir)).toEqual([]);
    } finally {
      await fresh.cleanup();
    }
  });

  it('a mutating command starts the daemon, which adopts the run left running', async () => {
    const r = await home.cli(['reconcile', '--json']);
    expect(r.code).toBe(0);
    const list = await home.json(['ps']);
    expect(list.source).toBe('daemon');
    expect(list.runs.find((x: any) => x.id === sleeper.id)).toMatchObject({ status: 'running' });
    const adopted = (await home.cli(['events', '--json', '--type', 'ProcessAdopted', '--run', sleeper.id])).stdout.trim().split('\n');
    expect(adopted).toHaveLength(1);
  });
});
