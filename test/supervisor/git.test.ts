import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGitInfo } from '../../src/supervisor/git.js';

const dir = mkdtempSync(join(tmpdir(), 'rl-git-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' }).trim();

describe('readGitInfo: which code a run ran', () => {
  it('is null outside a work tree and before the first commit', async () => {
    expect(await readGitInfo(dir)).toBeNull();
    git('init', '-q');
    expect(await readGitInfo(dir)).toBeNull();
  });

  it('records the commit, and whether the tree was dirty', async () => {
    writeFileSync(join(dir, 'a.txt'), 'one');
    git('add', 'a.txt');
    git('commit', '-qm', 'one');
    const head = git('rev-parse', 'HEAD');
    expect(await readGitInfo(dir)).toMatchObject({ commit: head, dirty: false });
    writeFileSync(join(dir, 'a.txt'), 'two');
    expect(await readGitInfo(dir)).toMatchObject({ commit: head, dirty: true });
  });

  it('names the work tree root from a directory inside it, and counts an untracked file as dirty', async () => {
    git('checkout', '-q', '--', 'a.txt');
    const head = git('rev-parse', 'HEAD');
    const sub = join(dir, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    expect(await readGitInfo(sub)).toEqual({ commit: head, dirty: false, root: realpathSync(dir) });
    writeFileSync(join(sub, 'new.txt'), 'new');
    expect(await readGitInfo(sub)).toEqual({ commit: head, dirty: true, root: realpathSync(dir) });
  });

  it('is null for a cwd that does not exist', async () => {
    expect(await readGitInfo(join(dir, 'no', 'such'))).toBeNull();
  });
});
