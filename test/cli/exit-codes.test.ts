/**
 * Issue 12: exit codes scripts can branch on. When the daemon dies under
 * `run --wait` (or `wait`), runledger itself failed: exit 125 (as `docker
 * run` does), never 1, which a child exiting 1 also gives.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, Home, isAlive, waitUntil } from './helpers.js';

const READY_AFTER = join(FIXTURES, 'ready-after.mjs');

let home: Home;
const started: ChildProcess[] = [];
afterEach(async () => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.pid) process.kill(c.pid, 'SIGKILL');
  await home.cleanup();
});

/** A CLI process we watch while it runs; resolves its exit code. */
function spawnCli(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, '--home', home.dir, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

/** The run outlived its daemon: a next daemon adopts and stops it, so no exit record is still being written at cleanup. */
async function stopEverything(): Promise<void> {
  const r = await home.cli(['stop', '--all', '--force']);
  expect(r.code, r.stderr).toBe(0);
}

describe('exit 125 when runledger itself failed', () => {
  it('run --wait exits 125 when the daemon is killed with SIGKILL', async () => {
    home = new Home();
    const cli = spawnCli(['run', '--wait', '--', 'node', READY_AFTER, '0', 'CHILD-UP']);
    await waitUntil(() => cli.out().includes('CHILD-UP'), 'the child to print', 400, 50);
    const daemon = home.daemonPid()!;
    process.kill(daemon, 'SIGKILL');
    const code = await cli.exit;
    expect(code, cli.err()).toBe(125);
    expect(cli.err()).toMatch(/DAEMON_UNAVAILABLE|lost the (connection to the )?daemon/);
    expect(cli.err()).not.toMatch(/\n\s+at /);
    await waitUntil(() => !isAlive(daemon), 'the daemon to be gone');
    await stopEverything();
  }, 90_000);

  it('wait exits 125 when the daemon is killed with SIGKILL', async () => {
    home = new Home();
    const run = await home.start(['--', 'sleep', '600']);
    const cli = spawnCli(['wait', run.id, '--for', 'exit']);
    // Handshake: the CLI says so once the daemon watches the run.
    await waitUntil(() => cli.err().includes('runledger: waiting for'), 'the wait to be watched', 400, 50);
    process.kill(home.daemonPid()!, 'SIGKILL');
    expect(await cli.exit, cli.err()).toBe(125);
    await stopEverything();
  }, 90_000);

  it('Ctrl-C while waiting exits 130 and leaves the run running', async () => {
    home = new Home();
    const run = await home.start(['--', 'sleep', '600']);
    const cli = spawnCli(['wait', run.id, '--for', 'exit']);
    // Handshake: the Ctrl-C handler is installed before the CLI asks the daemon, which it says once watching.
    await waitUntil(() => cli.err().includes('runledger: waiting for'), 'the wait to be watched', 400, 50);
    cli.child.kill('SIGINT');
    const code = await cli.exit;
    expect(code, `${cli.err()} signal=${cli.child.signalCode}`).toBe(130);
    expect(cli.err()).toContain('stopped waiting');
    expect((await home.json(['show', run.id])).run.status).toBe('running');
  }, 90_000);

  it('a child that exits 1 still gives 1 (the two are told apart)', async () => {
    home = new Home();
    const r = await home.cli(['run', '--wait', '--', 'node', join(FIXTURES, 'exit-with-code.mjs'), '1']);
    expect(r.code).toBe(1);
  });
});
