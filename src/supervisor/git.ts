/** Which code ran: the commit and dirtiness of the git work tree around a run's cwd, if any. */
import { execFile } from 'node:child_process';

export interface GitInfo {
  commit: string;
  dirty: boolean;
  root: string;
}

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5000, maxBuffer: 1 << 20 }, (err, stdout) => resolve(err ? null : stdout));
  });
}

/**
 * Null when cwd is not in a work tree or git is missing: an audit then simply has no commit.
 * Two git processes side by side (not three in a row): this runs on every start.
 */
export async function readGitInfo(cwd: string): Promise<GitInfo | null> {
  const [revParse, status] = await Promise.all([
    git(cwd, ['rev-parse', '--show-toplevel', 'HEAD']),
    git(cwd, ['status', '--porcelain', '--untracked-files=normal']),
  ]);
  // Fails outside a work tree, and in a fresh repository with no commit yet.
  const [root, commit] = (revParse ?? '').trim().split('\n');
  if (!root || !commit || !/^[0-9a-f]{40,64}$/.test(commit)) return null;
  return { commit, dirty: status === null ? true : status.trim().length > 0, root };
}
