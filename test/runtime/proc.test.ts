import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, chmodSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkIdentity, groupAlive, identityOf, parseProcStat, readBootId, readProcStat } from '../../src/runtime/proc.js';
import { makeStateDir, removeDir } from './helpers.js';

describe('/proc facts', () => {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    dirs.splice(0).forEach(removeDir);
  });

  it('parses fields after the last ")" even when comm holds spaces and parens', () => {
    const fields = ['S', '10', '42', '42', '0', '-1', ...Array(13).fill('0'), '123456', '9'];
    const stat = parseProcStat(`77 (a b) (c) ${fields.join(' ')}\n`);
    expect(stat).toEqual({ pid: 77, comm: 'a b) (c', state: 'S', ppid: 10, pgid: 42, sid: 42, startTime: '123456', cpuTicks: 0 });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('reads CPU ticks (own and waited-for children, fields 14-17) and resident pages (field 24)', () => {
    // field:      3    4    5    6    7    8     9..13          14   15   16  17  18..21         22     23      24
    const fields = [
      'R',
      '1',
      '5',
      '5',
      '0',
      '-1',
      ...Array(5).fill('0'),
      '150',
      '30',
      '7',
      '3',
      ...Array(4).fill('0'),
      '999',
      '4096',
      '2500',
    ];
    expect(parseProcStat(`5 (busy) ${fields.join(' ')}\n`)).toMatchObject({ pid: 5, cpuTicks: 190, rssPages: 2500, startTime: '999' });
  });

  it('reads a live process whose name is "a b) (c"', async () => {
    const dir = makeStateDir();
    dirs.push(dir);
    const odd = join(dir, 'a b) (c');
    copyFileSync('/bin/sleep', odd);
    chmodSync(odd, 0o755);
    const child = spawn(odd, ['30'], { stdio: 'ignore', detached: true });
    children.push(child);
    const pid = child.pid!;
    await vi.waitFor(async () => expect((await readProcStat(pid))?.comm).toBe('a b) (c'), { interval: 10 });
    const raw = await readFile(`/proc/${pid}/stat`, 'utf8');
    const stat = await readProcStat(pid);
    expect(stat).toMatchObject({ pid, ppid: process.pid, pgid: pid, state: expect.stringMatching(/^[RS]$/) });
    expect(raw.slice(raw.lastIndexOf(')') + 2).split(' ')[19]).toBe(stat?.startTime);
    const identity = await identityOf(pid);
    expect(identity).toEqual({ pid, pgid: pid, startTime: stat?.startTime, bootId: await readBootId() });
    expect((await checkIdentity(identity!)).state).toBe('alive');
    expect(await groupAlive(pid)).toBe(true);
  });

  it('reports gone, reused and empty groups', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore', detached: true });
    children.push(child);
    const identity = (await vi.waitFor(async () => {
      const id = await identityOf(child.pid!);
      expect((await readProcStat(child.pid!))?.comm).toBe('sleep');
      return id;
    }))!;
    expect(await checkIdentity({ ...identity, startTime: '1' })).toMatchObject({ state: 'reused', observed: { pid: identity.pid } });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited; // node reaps it, so the pid is gone rather than a zombie
    expect(await checkIdentity(identity)).toEqual({ state: 'gone', observed: { pid: identity.pid, zombie: false } });
    expect(await groupAlive(identity.pgid)).toBe(false);
    expect(await readBootId()).toMatch(/^[0-9a-f-]{36}$/);
  });
});
