import { appendFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileFollower } from '../../src/runtime/file-follower.js';
import { makeStateDir, numbered, openFds, removeDir } from './helpers.js';

describe('FileFollower', () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    dirs.splice(0).forEach(removeDir);
  });
  const newDir = (): string => {
    const dir = makeStateDir();
    dirs.push(dir);
    return dir;
  };

  it('reads rotated files oldest first, then the current one, then follows appends and a rotation without loss or repeats', async () => {
    const dir = newDir();
    const lines: string[] = [];
    const f = new FileFollower(dir, 'stdout.log', (l) => lines.push(l));
    writeFileSync(join(dir, 'stdout.log.2'), 'a\n');
    writeFileSync(join(dir, 'stdout.log.1'), 'b\n');
    writeFileSync(join(dir, 'stdout.log'), 'c\nd-start');
    await f.readRotated();
    await f.pump();
    expect(lines).toEqual(['a', 'b', 'c']);
    appendFileSync(join(dir, 'stdout.log'), '-end\ne\n');
    await f.pump();
    expect(lines).toEqual(['a', 'b', 'c', 'd-start-end', 'e']);
    // What the shim does at the cap: the last lines land in the old file, then it is renamed and a fresh one starts.
    appendFileSync(join(dir, 'stdout.log'), 'f\n');
    renameSync(join(dir, 'stdout.log'), join(dir, 'stdout.log.1'));
    writeFileSync(join(dir, 'stdout.log'), 'g\nh');
    await f.pump();
    f.flush();
    expect(lines).toEqual(['a', 'b', 'c', 'd-start-end', 'e', 'f', 'g', 'h']);
    await f.close();
  });

  it("gives each line's exact start (inode, byte offset), across pumps, multibyte text and a rotation", async () => {
    const dir = newDir();
    const seen: [string, number, number][] = [];
    const f = new FileFollower(dir, 'stdout.log', (l, at) => seen.push([l, at.ino, at.offset]));
    writeFileSync(join(dir, 'stdout.log'), 'héllo\nwörld-');
    const first = statSync(join(dir, 'stdout.log')).ino;
    await f.pump();
    appendFileSync(join(dir, 'stdout.log'), 'wide\n');
    await f.pump();
    renameSync(join(dir, 'stdout.log'), join(dir, 'stdout.log.1'));
    writeFileSync(join(dir, 'stdout.log'), 'next\n');
    const second = statSync(join(dir, 'stdout.log')).ino;
    await f.pump();
    expect(seen).toEqual([
      ['héllo', first, 0],
      ['wörld-wide', first, 7],
      ['next', second, 0],
    ]);
    await f.close();
  });

  it('reads nothing when the file did not change', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'stdout.log'), 'one\n');
    const lines: string[] = [];
    const f = new FileFollower(dir, 'stdout.log', (l) => lines.push(l));
    await f.pump();
    const probe = await open(join(dir, 'stdout.log'), 'r');
    const read = vi.spyOn(Object.getPrototypeOf(probe) as { read: () => unknown }, 'read');
    await probe.close();
    await f.pump();
    await f.pump();
    expect(read).not.toHaveBeenCalled();
    appendFileSync(join(dir, 'stdout.log'), 'two\n');
    await f.pump();
    expect(read).toHaveBeenCalled();
    expect(lines).toEqual(['one', 'two']);
    await f.close();
  });

  it('closes the file it was opening when closed meanwhile (no handle left for the garbage collector)', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'stdout.log'), 'one\n');
    const before = openFds();
    const lines: string[] = [];
    const f = new FileFollower(dir, 'stdout.log', (l) => lines.push(l));
    const pumping = f.pump(); // now waiting for open()
    await f.close();
    await pumping;
    expect(openFds()).toBe(before);
    expect(lines).toEqual([]);
    await f.pump(); // a pump after close opens nothing
    expect(openFds()).toBe(before);
  });

  it('stops mid-read when closed from a line callback: no more lines, no handle left', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'stdout.log.1'), `${numbered(0, 50_000).join('\n')}\n`);
    writeFileSync(join(dir, 'stdout.log'), `${numbered(50_000, 50_000).join('\n')}\n`);
    const before = openFds();
    for (const stopAt of [1, 30_000, 70_000]) {
      const lines: string[] = [];
      let closing: Promise<void> | undefined;
      const f = new FileFollower(dir, 'stdout.log', (l) => {
        lines.push(l);
        if (lines.length === stopAt) closing = f.close();
      });
      await f.readRotated();
      await f.pump();
      await closing;
      expect(lines).toEqual(numbered(0, stopAt));
      expect(openFds()).toBe(before);
    }
  });

  it('holds no descriptor between pumps, so a daemon following 1,000 runs keeps no file open per run', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'stdout.log'), 'one\n');
    const before = openFds();
    const lines: string[] = [];
    const followers = Array.from({ length: 20 }, () => new FileFollower(dir, 'stdout.log', (l) => lines.push(l)));
    for (const f of followers) await f.pump();
    expect(openFds()).toBe(before);
    expect(lines).toHaveLength(20);
    await Promise.all(followers.map((f) => f.close()));
  });

  it('finds the file it was reading after a rotation, even one rotated twice, and loses nothing of it', async () => {
    const dir = newDir();
    const lines: string[] = [];
    const f = new FileFollower(dir, 'stdout.log', (l) => lines.push(l));
    writeFileSync(join(dir, 'stdout.log'), 'a\nb-');
    await f.pump();
    appendFileSync(join(dir, 'stdout.log'), 'end\nc\n');
    renameSync(join(dir, 'stdout.log'), join(dir, 'stdout.log.1'));
    writeFileSync(join(dir, 'stdout.log'), 'd\n');
    renameSync(join(dir, 'stdout.log.1'), join(dir, 'stdout.log.2'));
    renameSync(join(dir, 'stdout.log'), join(dir, 'stdout.log.1'));
    writeFileSync(join(dir, 'stdout.log'), 'e\n');
    await f.pump();
    // The middle file (d) was never the one being read: it was rotated past before any pump saw it.
    expect(lines).toEqual(['a', 'b-end', 'c', 'e']);
    await f.close();
  });
});
