/**
 * Issue 12: `logs -f` and `events -f` outlive the daemon. When it dies
 * (SIGKILL, by pid) and another one is started, they reconnect and resume
 * where they were, by ledger position and by log line, so every line and
 * every event arrives exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, Home, isAlive, waitUntil } from './helpers.js';

let home: Home;
const started: ChildProcess[] = [];
afterEach(async () => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.pid) process.kill(c.pid, 'SIGKILL');
  await home.cleanup();
});

function spawnCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, '--home', home.dir, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

async function killDaemonAndStartAnother(): Promise<void> {
  const pid = home.daemonPid()!;
  process.kill(pid, 'SIGKILL');
  await waitUntil(() => !isAlive(pid), 'the daemon to die');
  const r = await home.cli(['daemon', 'start']);
  expect(r.code, r.stderr).toBe(0);
}

const countOf = (text: string, re: RegExp) => text.split('\n').filter((l) => re.test(l)).length;

describe('a daemon restart mid-stream', () => {
  it('logs -f resumes without gaps or repeats', async () => {
    home = new Home();
    const stopFile = join(home.dir, 'stop-counting');
    const run = await home.start(['--', 'node', join(FIXTURES, 'count-lines.mjs'), stopFile, '20']);
    const follower = spawnCli(['--json', 'logs', '-f', run.id]);
    await waitUntil(() => countOf(follower.out(), /"out 20"/) === 1, 'twenty lines before the restart', 400, 50);
    await killDaemonAndStartAnother();
    // Lines written while no daemon ran, and after the next one came, must all arrive.
    const seen = () => follower.out().split('\n').filter(Boolean).length;
    const atRestart = seen();
    await waitUntil(() => seen() > atRestart + 40, 'lines after the restart', 600, 50);
    writeFileSync(stopFile, '');
    expect(await follower.exit, follower.err()).toBe(0);
    const lines = follower
      .out()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { stream: string; line: string });
    const out = lines.filter((l) => l.stream === 'stdout').map((l) => l.line);
    const err = lines.filter((l) => l.stream === 'stderr').map((l) => l.line);
    expect(out[out.length - 1]).toBe('done');
    const n = out.length - 1;
    expect(n).toBeGreaterThan(60);
    expect(out.slice(0, -1)).toEqual(Array.from({ length: n }, (_, i) => `out ${i + 1}`));
    expect(err).toEqual(Array.from({ length: err.length }, (_, i) => `err ${i + 1}`));
    expect(err.length).toBe(n);
    expect(follower.err()).toMatch(/lost the daemon/);
    expect(existsSync(stopFile)).toBe(true);
  }, 90_000);

  it('events -f resumes by position: every event exactly once', async () => {
    home = new Home();
    await home.start(['--', 'sleep', '600']);
    const follower = spawnCli(['--json', 'events', '-f']);
    const positions = () =>
      follower
        .out()
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { position: number }).position);
    await waitUntil(() => positions().length >= 3, 'the history', 400, 50);
    await killDaemonAndStartAnother();
    // The next daemon appends (SupervisorStarted, reconcile); then a new run adds more.
    const second = await home.start(['--', 'sleep', '600']);
    const { head } = await home.ledger();
    await waitUntil(() => positions().includes(head), 'events up to the head', 600, 50);
    follower.child.kill('SIGINT');
    await follower.exit;
    expect(positions()).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(second.id).toBeTruthy();
  }, 90_000);
});
