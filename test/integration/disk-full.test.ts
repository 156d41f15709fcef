/**
 * A full disk must not cost the exit code (issue 11, case 7). The attempt
 * dirs live on a real, tiny tmpfs mounted over `<home>/runs` (the ledger
 * stays on the ordinary disk), which the test fills with a plain file.
 * Needs mount privileges (root); elsewhere the tests are skipped, saying so.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmdirSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/events/envelope.js';
import { Harness, isAlive, killGroup, waitUntil } from './support.js';

const h = new Harness();
const mounts: string[] = [];
const hosts: number[] = [];
afterEach(async () => {
  for (const pid of hosts.splice(0)) killGroup(pid);
  // Lazy: a dying shim may still hold a file open there; the mount goes once it lets go.
  for (const m of mounts.splice(0)) execFileSync('umount', ['-l', m]);
  await h.cleanup();
});

function tryMount(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const canMount = ((): boolean => {
  const probe = mkdtempSync(join(tmpdir(), 'rl-mount-probe-'));
  const ok = tryMount(probe);
  if (ok) execFileSync('umount', [probe]);
  rmdirSync(probe);
  return ok;
})();

/** A home whose runs/ is a 256 kB tmpfs. */
function homeWithTinyRuns(): { home: string; runs: string } {
  const home = h.home();
  const runs = join(home, 'runs');
  mkdirSync(runs, { mode: 0o700 });
  if (!tryMount(runs)) throw new Error(`mount tmpfs on ${runs} failed`);
  mounts.push(runs);
  return { home, runs };
}

/** Write a filler file until the file system says ENOSPC. */
/** Fill the tmpfs, leaving `sparePages` pages free (the run's captured environment needs one). */
function fillUp(dir: string, sparePages = 0): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(4096, 1);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    if (sparePages > 0) ftruncateSync(fd, Math.max(0, written - sparePages * 4096));
    closeSync(fd);
  }
}

/** A supervisor in its own process (test/integration/host.mjs) starts `spec`, reports, and is SIGKILLed. */
async function startThenKillSupervisor(home: string, spec: object): Promise<{ runId: string; pid: number; pgid: number; shimPid: number }> {
  const child = spawn(process.execPath, [resolve(import.meta.dirname, 'host.mjs'), home, JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  hosts.push(child.pid!);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const line = await new Promise<string>((done, reject) => {
    createInterface({ input: child.stdout! }).once('line', done);
    void exited.then(() => reject(new Error('host exited before reporting')));
  });
  const hosted = JSON.parse(line) as { runId: string; pid: number; pgid: number; shimPid: number };
  h.track(hosted.pgid, hosted.shimPid);
  process.kill(child.pid!, 'SIGKILL');
  await exited;
  return hosted;
}

const ofType = (events: EventEnvelope[], type: string): EventEnvelope[] => events.filter((e) => e.type === type);
const waitForTrigger = (file: string, code: number) => ({
  command: 'sh',
  args: ['-c', `while [ ! -e '${file}' ]; do sleep 0.05; done; exit ${code}`],
});

describe.skipIf(!canMount)('disk full (real tmpfs)', () => {
  it('the disk fills while the child runs: its exit code is still recorded', async () => {
    const { home, runs } = homeWithTinyRuns();
    const { supervisor: sup, store } = await h.open(home);
    const trigger = join(home, 'go');
    const { run } = await sup.start(waitForTrigger(trigger, 7));
    h.trackRun(run);
    fillUp(runs);
    writeFileSync(trigger, '');
    const ended = await sup.wait(run.id);
    expect(ended).toMatchObject({ status: 'failed', exitCode: 7 });
    expect(ofType(await store.readStream(`run-${run.id}`), 'ProcessExited')[0]?.data).toEqual({ attempt: 1, exitCode: 7, signal: null });
  });

  it('the disk is full before the spawn: the exit code comes from the shim exit status, with evidence', async () => {
    const { home, runs } = homeWithTinyRuns();
    const { supervisor: sup, store } = await h.open(home);
    // One page is left for the run's captured environment (env.json, written before the spawn): none for the shim.
    fillUp(runs, 1);
    const trigger = join(home, 'go');
    const { run } = await sup.start(waitForTrigger(trigger, 9));
    h.trackRun(run);
    const a = run.attempts[0]!;
    writeFileSync(trigger, '');
    const ended = await sup.wait(run.id);
    expect(isAlive(a.pid!)).toBe(false);
    expect(ended, ended.reason ?? '').toMatchObject({ status: 'failed', exitCode: 9 });
    const recovered = ofType(await store.readStream(`run-${run.id}`), 'ExitRecovered')[0];
    expect(recovered?.data).toMatchObject({
      attempt: 1,
      exitCode: 9,
      signal: null,
      evidence: { reason: 'shim-exit-status', exitRecord: 'missing' },
    });
  });

  it("the disk is full and no supervisor is the shim's parent: reconcile says the disk is full, with the free space as evidence", async () => {
    const { home, runs } = homeWithTinyRuns();
    fillUp(runs, 1);
    const trigger = join(home, 'go');
    const hosted = await startThenKillSupervisor(home, waitForTrigger(trigger, 9));
    writeFileSync(trigger, '');
    await waitUntil(() => !isAlive(hosted.pid) && !isAlive(hosted.shimPid), 'child and shim to end');
    const { supervisor: sup, store } = await h.open(home);
    const unknown = ofType(await store.readStream(`run-${hosted.runId}`), 'ProcessStatusUnknown')[0];
    expect(unknown?.data).toMatchObject({
      attempt: 1,
      reason: expect.stringContaining('its disk is full'),
      evidence: { reason: 'gone-no-exit-record', recordSpace: { freeBytes: expect.any(Number) } },
    });
    expect(sup.get(hosted.runId).status).toBe('unknown');
  });
});
