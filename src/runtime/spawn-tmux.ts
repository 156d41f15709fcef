/**
 * Starting one attempt in a tmux pane. The shim runs as the pane's process
 * with --tty (the child keeps the pane as its terminal), waits for a `go`
 * file so `pipe-pane` is attached before the first byte, and receives the
 * environment through a file it deletes (tmux `-e K=V` would put secrets in
 * ps and mix in the server's own variables).
 */
import { watch } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { RunledgerError } from '../errors.js';
import type { SpawnedProcess, SpawnRequest } from './adapter.js';
import {
  createAttemptDir,
  readChildRecord,
  readJsonFile,
  resolveAttemptPaths,
  type AttemptPaths,
  type SpawnErrorRecord,
} from './attempt-dir.js';
import { removeCgroup } from './cgroup.js';
import { readBootId } from './proc.js';
import { confirmCgroup, prepareCgroup } from './spawn-cgroup.js';
import type { Tracking } from './tracking.js';
import { requireShim } from './shim-path.js';
import { buildArgv, buildEnv, checkCwd, shimArgs, toSpawnError } from './spawn-request.js';
import { quoteForShell, runTmux, sessionName, type TmuxServer } from './tmux-command.js';

const START_TIMEOUT_MS = 10_000;

/** Spawn the attempt in the run's tmux session (a new window if the session already exists). */
export async function spawnInTmux(server: TmuxServer, stateDir: string, req: SpawnRequest, tracking: Tracking): Promise<SpawnedProcess> {
  const shim = requireShim();
  const paths = resolveAttemptPaths(stateDir, req.runId, req.attempt);
  const argv = buildArgv(req);
  await checkCwd(req);
  await createAttemptDir(paths);
  const env = Object.entries(buildEnv(req))
    .map(([k, v]) => `${k}=${v}\0`)
    .join('');
  await writeFile(paths.file('env'), env, { mode: 0o600 });
  await writeFile(paths.file('stderr.log'), '', { mode: 0o600 }); // a tty merges stderr into stdout
  const cgroup = await prepareCgroup(tracking, req);
  const pane = await openPane(server, req, [
    shim,
    ...shimArgs(paths.dir, req, cgroup),
    '--tty',
    '--wait-file',
    'go',
    '--env-file',
    'env',
    '--',
    ...argv,
  ]);
  const writer = [shim, '--log-writer', ...shimArgs(paths.dir, req)].map(quoteForShell).join(' ');
  const piped = await runTmux(server, ['pipe-pane', '-o', '-t', pane, `exec ${writer}`]);
  await writeFile(paths.file('go'), '', { mode: 0o600 });
  if (!piped.ok) throw new RunledgerError('SPAWN_FAILED', `tmux pipe-pane failed: ${piped.message}`);
  const child = await waitForChild(paths);
  if ('errno' in child) {
    if (cgroup) await removeCgroup(cgroup);
    throw toSpawnError(req, child);
  }
  return {
    identity: { pid: child.pid, pgid: child.pgid, startTime: child.startTime, bootId: await readBootId() },
    shimPid: child.shimPid,
    tracking: await confirmCgroup(paths, cgroup),
    logs: { stdout: paths.relative('stdout.log'), stderr: paths.relative('stderr.log') },
  };
}

async function openPane(server: TmuxServer, req: SpawnRequest, command: string[]): Promise<string> {
  const session = sessionName(req.runId);
  const common = ['-d', '-P', '-F', '#{pane_id}', '-c', req.cwd];
  let made = await runTmux(server, ['new-session', ...common, '-s', session, '-x', '200', '-y', '50', '--', ...command]);
  if (!made.ok && /duplicate session/.test(made.message)) {
    made = await runTmux(server, ['new-window', ...common, '-t', `${session}:`, '--', ...command]);
  }
  if (!made.ok) throw new RunledgerError('SPAWN_FAILED', `tmux could not start the run: ${made.message}`, { session });
  return made.stdout;
}

/** child.json or spawn-error.json, whichever the shim writes; noticed by fs.watch, with a light poll as a net. */
function waitForChild(paths: AttemptPaths): Promise<{ pid: number; pgid: number; startTime: string; shimPid: number } | SpawnErrorRecord> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let done = false;
    const check = async (): Promise<void> => {
      const child = await readChildRecord(paths);
      const failed = child ? undefined : await readJsonFile<SpawnErrorRecord>(paths.file('spawn-error.json'));
      const result = child ?? failed;
      if (done) return;
      if (result) finish(() => resolve(result));
      else if (Date.now() - started > START_TIMEOUT_MS) {
        finish(() => reject(new RunledgerError('SPAWN_FAILED', 'the shim in tmux did not report within 10 s', { dir: paths.dir })));
      }
    };
    const finish = (settle: () => void): void => {
      done = true;
      watcher.close();
      clearInterval(timer);
      settle();
    };
    const watcher = watch(paths.dir, () => void check());
    const timer = setInterval(() => void check(), 50);
    void check();
  });
}
