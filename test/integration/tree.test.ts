/**
 * The whole tree of an attempt, on real processes, on both tracking paths:
 * cgroup v2 (where one is writable, as on CI as root) and the process-group
 * fallback forced with RUNLEDGER_TRACKING=pgroup. Issue 11 cases 2, 3 and 6.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/events/envelope.js';
import { readProcStat } from '../../src/runtime/proc.js';
import type { EmbeddedSupervisor } from '../../src/supervisor/embedded.js';
import { fixture, Harness, isAlive, waitUntil } from './support.js';

const h = new Harness();
afterEach(() => h.cleanup());

function readLog(e: EmbeddedSupervisor, runId: string): string {
  const logs = e.supervisor.get(runId).attempts.at(-1)?.logs;
  if (!logs) return '';
  try {
    return readFileSync(join(e.home, logs.stdout), 'utf8');
  } catch {
    return '';
  }
}

/** The pid a run printed as `<tag> <pid>`, once it did. */
async function printedPid(e: EmbeddedSupervisor, runId: string, tag: string): Promise<number> {
  const re = new RegExp(`${tag} (\\d+)`);
  await waitUntil(() => re.test(readLog(e, runId)), `${tag} line`);
  const pid = Number(re.exec(readLog(e, runId))![1]);
  h.track(pid);
  return pid;
}

async function eventsOf(e: EmbeddedSupervisor, runId: string): Promise<EventEnvelope[]> {
  return e.store.readStream(`run-${runId}`);
}

type Member = { pid: number; command: string };
type Reaped = { attempt: number; pids: Member[]; signal: string | null; kept?: boolean; survivors: Member[]; tracking: string };

function treeEvents(events: EventEnvelope[]): Reaped[] {
  return events.filter((ev) => ev.type === 'TreeReaped').map((ev) => ev.data as Reaped);
}

for (const tracking of ['cgroup', 'pgroup'] as const) {
  describe(`the attempt's whole tree (tracking: ${tracking})`, () => {
    let before: string | undefined;
    beforeAll(() => {
      before = process.env.RUNLEDGER_TRACKING;
      process.env.RUNLEDGER_TRACKING = tracking;
    });
    afterAll(() => {
      if (before === undefined) delete process.env.RUNLEDGER_TRACKING;
      else process.env.RUNLEDGER_TRACKING = before;
    });

    it('case 2: a natural exit takes its leftovers with it, and records what it reaped', async () => {
      const e = await h.open(h.home());
      const { run } = await e.supervisor.start({ command: 'sleep 1005 & echo LEFT $!; echo bye', shell: true, grace: '3s' });
      const sleeper = await printedPid(e, run.id, 'LEFT');
      const ended = await e.supervisor.wait(run.id);
      expect(ended.status).toBe('completed');
      expect(isAlive(sleeper)).toBe(false);
      const [reaped] = treeEvents(await eventsOf(e, run.id));
      expect(reaped).toMatchObject({
        attempt: 1,
        signal: 'SIGTERM',
        survivors: [],
        tracking: tracking === 'cgroup' ? 'cgroup' : 'process-group',
      });
      expect(reaped!.pids).toContainEqual({ pid: sleeper, command: 'sleep' });
      expect(reaped!.kept).toBeUndefined();
    });

    it('keepLeftovers: the leftovers live on and are recorded as kept', async () => {
      const e = await h.open(h.home());
      const { run } = await e.supervisor.start({ command: 'sleep 1006 & echo LEFT $!; echo bye', shell: true, keepLeftovers: true });
      const sleeper = await printedPid(e, run.id, 'LEFT');
      expect((await e.supervisor.wait(run.id)).status).toBe('completed');
      expect(isAlive(sleeper)).toBe(true);
      const [kept] = treeEvents(await eventsOf(e, run.id));
      expect(kept).toMatchObject({ attempt: 1, kept: true, signal: null });
      expect(kept!.pids).toContainEqual({ pid: sleeper, command: 'sleep' });
    });

    it('case 3: a setsid escapee is killed by stop, or recorded as a survivor, never hidden behind "killed"', async () => {
      const e = await h.open(h.home());
      const { run } = await e.supervisor.start({ command: 'setsid sleep 1003 & echo ESCAPED $!; wait', shell: true, grace: '3s' });
      const escapee = await printedPid(e, run.id, 'ESCAPED');
      // Its own session once setsid ran (the handshake: before that it is still in ours).
      await waitUntil(
        async () => (await readProcStat(escapee))?.sid === escapee && (await readProcStat(escapee))?.comm === 'sleep',
        'setsid to run',
      );
      const stopped = await e.supervisor.stop(run.id, { wait: true });
      expect(stopped.status).toBe('stopped');
      const survivors = treeEvents(await eventsOf(e, run.id)).flatMap((r) => r.survivors.map((s) => s.pid));
      if (tracking === 'cgroup') expect(isAlive(escapee)).toBe(false);
      else expect(isAlive(escapee) === false || survivors.includes(escapee)).toBe(true);
    });

    it('case 3 (tmux): a job in its own job group of an interactive bash does not survive stop --force', async () => {
      const e = await h.open(h.home());
      const { run } = await e.supervisor.start({
        command: 'bash',
        args: ['--norc', '--noprofile', '-i'],
        runtime: 'tmux',
        env: { PS1: '$ ' },
      });
      await waitUntil(() => readLog(e, run.id).includes('$ '), 'the prompt');
      const socket = join(e.home, 'tmux.sock');
      execFileSync('tmux', ['-S', socket, 'send-keys', '-t', `rl-${run.id}`, 'sleep 1077 & echo JOB $!', 'Enter']);
      const job = await printedPid(e, run.id, 'JOB');
      const bash = e.supervisor.get(run.id).attempts[0]!.pid!;
      expect((await readProcStat(job))?.pgid).not.toBe(bash); // its own job group
      const stopped = await e.supervisor.stop(run.id, { force: true, wait: true });
      expect(stopped.status).toBe('killed');
      await waitUntil(() => !isAlive(job), 'the job to be gone', 200);
    });

    it('case 6: a stopped (SIGSTOP) group is continued, so its TERM handler runs', async () => {
      const e = await h.open(h.home());
      const marker = join(e.home, 'term-handled');
      const { run } = await e.supervisor.start({ command: process.execPath, args: [fixture('term-marker.mjs'), marker], grace: '5s' });
      const pid = await printedPid(e, run.id, 'READY');
      process.kill(-pid, 'SIGSTOP');
      await waitUntil(async () => (await readProcStat(pid))?.state === 'T', 'the group to be stopped');
      const stopped = await e.supervisor.stop(run.id, { wait: true });
      expect(existsSync(marker)).toBe(true);
      expect(stopped).toMatchObject({ status: 'stopped', signal: 'SIGTERM' });
      const signals = (await eventsOf(e, run.id))
        .filter((ev) => ev.type === 'SignalSent')
        .map((ev) => (ev.data as { signal: string }).signal);
      expect(signals).not.toContain('SIGKILL');
    });
  });
}
