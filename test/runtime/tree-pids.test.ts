import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ProcStat } from '../../src/runtime/proc.js';
import { identityOf } from '../../src/runtime/proc.js';
import { readTreePids, selectTreePids } from '../../src/runtime/tree-pids.js';

const stat = (pid: number, ppid: number, pgid: number, sid: number, startTime: number, state = 'S'): ProcStat => ({
  pid,
  comm: 'x',
  state,
  ppid,
  pgid,
  sid,
  startTime: String(startTime),
});

describe('selectTreePids', () => {
  const root = { pid: 100, pgid: 100, startTime: '500' };

  it('takes the group, the session and every descendant, also one that left both', () => {
    const stats = [
      stat(1, 0, 1, 1, 1),
      stat(100, 50, 100, 100, 500), // the leader
      stat(101, 100, 100, 100, 501), // group member
      stat(102, 101, 102, 100, 502), // own group, same session (a job-control shell's job)
      stat(103, 102, 103, 103, 503), // setsid grandchild: only the parent link ties it
      stat(104, 103, 104, 104, 504), // its child
      stat(200, 1, 200, 200, 400), // unrelated
    ];
    expect(selectTreePids(stats, root)).toEqual([100, 101, 102, 103, 104]);
  });

  it('never counts a process started before the leader (a recycled pid or pgid) or a zombie', () => {
    const stats = [
      stat(100, 50, 100, 100, 500),
      stat(300, 1, 100, 100, 10),
      stat(301, 100, 301, 301, 600, 'Z'),
      stat(302, 301, 302, 302, 601),
    ];
    expect(selectTreePids(stats, root)).toEqual([100]);
  });

  it('finds a descendant listed before its parent', () => {
    const stats = [stat(400, 300, 400, 400, 700), stat(300, 100, 300, 300, 600), stat(100, 1, 100, 100, 500)];
    expect(selectTreePids(stats, root)).toEqual([100, 300, 400]);
  });
});

it('readTreePids finds a real grandchild of a real group leader', async () => {
  // sh leads its own group (detached); its background sleep is the tree's second member.
  const child = spawn('sh', ['-c', 'sleep 30 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const sleepPid = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    const root = (await identityOf(child.pid!))!;
    const pids = await readTreePids(root);
    expect(pids).toContain(child.pid);
    expect(pids).toContain(sleepPid);
    expect(pids).not.toContain(process.pid);
  } finally {
    process.kill(-child.pid!, 'SIGKILL');
  }
});
