/**
 * The shim on its own, without an adapter: what it leaves on disk and how it
 * treats signals, including when its own parent ignored some.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { shimPath } from '../../src/runtime/shim-path.js';
import { readProcStat } from '../../src/runtime/proc.js';
import { makeStateDir, removeDir, signalMasks } from './helpers.js';

interface ShimEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function runShim(dir: string, argv: string[], wrap?: string, extra: string[] = []): Promise<ShimEnd> {
  const args = ['--dir', dir, '--max-bytes', '1000', '--keep', '1', ...extra, '--', ...argv];
  // `wrap` runs the shim from a shell that changed its own dispositions first.
  const child = wrap
    ? spawn('/bin/sh', ['-c', `${wrap}; exec "$0" "$@"`, shimPath(), ...args], { stdio: 'ignore' })
    : spawn(shimPath(), args, { stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('runledger-shim', () => {
  const dirs: string[] = [];
  const pids: number[] = [];
  afterEach(() => {
    for (const pid of pids.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    dirs.splice(0).forEach(removeDir);
  });
  const newDir = (): string => {
    const d = makeStateDir();
    dirs.push(d);
    return d;
  };

  it('writes child.json, exit.json, capped rotating logs and output.done', async () => {
    const dir = newDir();
    const end = await runShim(dir, ['sh', '-c', 'i=0; while [ $i -lt 100 ]; do echo line-$i; i=$((i+1)); done; echo oops >&2; exit 3']);
    // The shim ends as its child did: a copy of the status that needs no disk.
    expect(end).toEqual({ code: 3, signal: null });
    expect(readJson(join(dir, 'exit.json'))).toMatchObject({ exitCode: 3, signal: null, pid: readJson(join(dir, 'child.json')).pid });
    // The record filled the placeholder reserved at spawn, and nothing of it is left behind.
    expect(readFileSync(join(dir, 'exit.json')).length).toBe(256);
    expect(existsSync(join(dir, '.exit.json.tmp'))).toBe(false);
    expect(existsSync(join(dir, 'output.done'))).toBe(true);
    expect(existsSync(join(dir, 'stdout.log.2'))).toBe(false);
    const last = readFileSync(join(dir, 'stdout.log'), 'utf8').trim().split('\n').at(-1);
    expect(last).toBe('line-99');
    expect(readFileSync(join(dir, 'stderr.log'), 'utf8')).toBe('oops\n');
  });

  it('reports an exec failure with errno and exits 127', async () => {
    const dir = newDir();
    expect(await runShim(dir, ['/nonexistent/program'])).toEqual({ code: 127, signal: null });
    expect(readJson(join(dir, 'spawn-error.json'))).toMatchObject({ code: 'ENOENT' });
    expect(existsSync(join(dir, 'exit.json'))).toBe(false);
  });

  it('--cgroup: a child that cannot join still runs, and says why in cgroup-error', async () => {
    const dir = newDir();
    const end = await runShim(dir, ['sh', '-c', 'echo ran; exit 4'], undefined, ['--cgroup', join(dir, 'no-such-cgroup')]);
    expect(end).toEqual({ code: 4, signal: null });
    expect(readJson(join(dir, 'exit.json'))).toMatchObject({ exitCode: 4 });
    expect(readFileSync(join(dir, 'stdout.log'), 'utf8')).toBe('ran\n');
    expect(readFileSync(join(dir, 'cgroup-error'), 'utf8')).toMatch(/^cannot join .*no-such-cgroup: No such file or directory/);
  });

  it('gives the child default dispositions even when the shim inherited ignored signals', async () => {
    const dir = newDir();
    const done = runShim(dir, ['sleep', '30'], "trap '' INT HUP QUIT USR1");
    await vi.waitFor(() => expect(existsSync(join(dir, 'child.json'))).toBe(true), { interval: 10 });
    const { pid, shimPid } = readJson(join(dir, 'child.json')) as { pid: number; shimPid: number };
    pids.push(pid);
    expect(await signalMasks(pid)).toEqual({ ignored: '0000000000000000', blocked: '0000000000000000' });
    // The shim itself ignores HUP/INT/TERM/PIPE: a TERM meant for it does not orphan the record.
    process.kill(shimPid, 'SIGTERM');
    expect((await readProcStat(shimPid))?.state).not.toBe('Z');
    process.kill(pid, 'SIGINT');
    expect(await done).toEqual({ code: null, signal: 'SIGINT' });
    expect(readJson(join(dir, 'exit.json'))).toMatchObject({ signal: 'SIGINT' });
  });
});
