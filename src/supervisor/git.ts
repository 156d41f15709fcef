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

/** Null when cwd is not in a work tree or git is missing: an audit then simply has no commit. */
export async function readGitInfo(cwd: string): Promise<GitInfo | null> {
  const root = await git(cwd, ['rev-parse', '--show-toplevel']);
  if (root === null) return null;
  const commit = await git(cwd, ['rev-parse', 'HEAD']);
  if (commit === null) return null; // a fresh repository with no commit yet
  const status = await git(cwd, ['status', '--porcelain', '--untracked-files=normal']);
  return { commit: commit.trim(), dirty: status === null ? true : status.trim().length > 0, root: root.trim() };
}
