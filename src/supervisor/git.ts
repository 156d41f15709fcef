/**
 * Which code ran: the commit and dirtiness of the git work tree around a
 * run's cwd, if any. This runs on every start, before the daemon answers, and
 * a process spawned from the daemon's large heap costs milliseconds: so no
 * git at all outside a work tree (found by looking for `.git` upwards), and
 * one `git status` inside one (its porcelain v2 header carries the commit).
 */
import { execFile } from 'node:child_process';
import { access, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface GitInfo {
  commit: string;
  dirty: boolean;
  root: string;
}

const COMMIT = /^[0-9a-f]{40,64}$/;

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5000, maxBuffer: 1 << 20 }, (err, stdout) => resolve(err ? null : stdout));
  });
}

/** The nearest directory at or above cwd holding `.git` (a directory, or a file for worktrees and submodules). */
async function workTreeRoot(cwd: string): Promise<string | null> {
  let dir = await realpath(cwd).catch(() => null);
  while (dir !== null) {
    if (
      await access(join(dir, '.git')).then(
        () => true,
        () => false,
      )
    )
      return dir;
    const up = dirname(dir);
    dir = up === dir ? null : up;
  }
  return null;
}

/** Null when cwd is not in a work tree, git is missing, or there is no commit yet: an audit then simply has no commit. */
export async function readGitInfo(cwd: string): Promise<GitInfo | null> {
  const root = await workTreeRoot(cwd);
  if (root === null) return null;
  const status = await git(cwd, ['status', '--porcelain=v2', '--branch', '--untracked-files=normal']);
  if (status === null) {
    // status can time out in a huge tree: the commit is still worth recording, its cleanliness unknown.
    const head = (await git(cwd, ['rev-parse', 'HEAD']))?.trim() ?? '';
    return COMMIT.test(head) ? { commit: head, dirty: true, root } : null;
  }
  const lines = status.split('\n').filter((l) => l !== '');
  // `# branch.oid (initial)` in a fresh repository with no commit yet.
  const commit = lines.find((l) => l.startsWith('# branch.oid '))?.slice('# branch.oid '.length) ?? '';
  if (!COMMIT.test(commit)) return null;
  return { commit, dirty: lines.some((l) => !l.startsWith('#')), root };
}
