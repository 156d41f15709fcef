/**
 * Starting one attempt in the background: the shim runs detached (its own
 * process group, not killed when we exit), forks the real child into a new
 * session and reports its pid and start time on fd 3.
 * node:child_process, not execa, starts the shim: when spawn fails for lack
 * of descriptors (EMFILE, a daemon with 1,000 runs under a low ulimit), execa
 * 9 throws synchronously and leaves its ChildProcess's 'error' event with no
 * listener, which takes the whole daemon down; here that is a SPAWN_FAILED.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { RunledgerError } from '../errors.js';
import type { SpawnedProcess, SpawnRequest } from './adapter.js';
import { createAttemptDir, resolveAttemptPaths, type ChildRecord, type SpawnErrorRecord } from './attempt-dir.js';
import { removeCgroup } from './cgroup.js';
import { readBootId } from './proc.js';
import type { ShimExit } from './shim-loss.js';
import { confirmCgroup, prepareCgroup } from './spawn-cgroup.js';
import type { Tracking } from './tracking.js';
import { requireShim } from './shim-path.js';
import { buildArgv, buildEnv, checkCwd, shimArgs, toSpawnError } from './spawn-request.js';

export interface BackgroundSpawn {
  spawned: SpawnedProcess;
  /** Settles when the shim exits (after exit.json is written), with its status (a mirror of its child's). */
  shimExited: Promise<ShimExit>;
  /** Lets the adapter stop holding the event loop open for this shim. */
  shim: { unref(): void };
}

/** Spawn the shim and the child; rejects SPAWN_FAILED when the child cannot be executed. */
export async function spawnBackground(stateDir: string, req: SpawnRequest, tracking: Tracking): Promise<BackgroundSpawn> {
  try {
    return await spawnShim(stateDir, req, tracking);
  } catch (err) {
    // Our own errors, and programmer mistakes (TypeError for a bad request), pass through as they are.
    if (err instanceof RunledgerError || err instanceof TypeError) throw err;
    // A system refusal (EMFILE, ENOSPC, EAGAIN…) is this attempt failing to start, not a bug of ours.
    const errno = (err as NodeJS.ErrnoException).code;
    throw new RunledgerError('SPAWN_FAILED', `could not start ${req.command}: ${(err as Error).message}`, { errno }, { cause: err });
  }
}

async function spawnShim(stateDir: string, req: SpawnRequest, tracking: Tracking): Promise<BackgroundSpawn> {
  const shimBinary = requireShim();
  const paths = resolveAttemptPaths(stateDir, req.runId, req.attempt);
  const argv = buildArgv(req);
  await checkCwd(req);
  await createAttemptDir(paths);
  const cgroup = await prepareCgroup(tracking, req);
  // The shim writes its own complaints to shim.log; no pipe of ours is left for it to block on.
  const shim = spawn(shimBinary, [...shimArgs(paths.dir, req, cgroup), '--status-fd', '3', '--', ...argv], {
    cwd: req.cwd,
    env: buildEnv(req),
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const shimExited = waitForShim(shim);
  const status = await readStatusLine(shim.stdio?.[3] as Readable | null | undefined);
  if (!status || !('pid' in status)) {
    const result = await shimExited;
    if (cgroup) await removeCgroup(cgroup);
    if (status) throw toSpawnError(req, status);
    const how = result.error ?? (result.signal ? `killed by ${result.signal}` : `exit ${result.exitCode}`);
    throw new RunledgerError('SPAWN_FAILED', `the exit-status shim failed: ${how}`, { shim: shimBinary });
  }
  const identity = { pid: status.pid, pgid: status.pgid, startTime: status.startTime, bootId: await readBootId() };
  return {
    spawned: {
      identity,
      shimPid: status.shimPid,
      tracking: await confirmCgroup(paths, cgroup),
      logs: { stdout: paths.relative('stdout.log'), stderr: paths.relative('stderr.log') },
    },
    shimExited,
    shim,
  };
}

/** Settles (never rejects) when the shim is gone, with how it ended; a failed spawn ends it at once. */
function waitForShim(shim: ChildProcess): Promise<ShimExit & { error?: string }> {
  return new Promise((resolve) => {
    shim.once('error', (err: NodeJS.ErrnoException) => resolve({ error: `${err.code ?? 'error'}: ${err.message}` }));
    shim.once('exit', (code, signal) => resolve({ exitCode: code ?? undefined, signal: signal ?? undefined }));
  });
}

/** The one JSON line the shim writes on fd 3 before closing it. */
async function readStatusLine(stream: Readable | null | undefined): Promise<ChildRecord | SpawnErrorRecord | undefined> {
  if (!stream) return undefined;
  let text = '';
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      text += chunk.toString();
      if (text.includes('\n')) break;
    }
  } catch {
    // The pipe broke (the spawn itself failed): the shim's end says why.
  }
  const line = text.split('\n')[0]?.trim();
  if (!line) return undefined;
  try {
    return JSON.parse(line) as ChildRecord | SpawnErrorRecord;
  } catch {
    return undefined;
  }
}
