/**
 * Starting one attempt in the background: execa runs the shim detached (its
 * own process group, not killed when we exit), the shim forks the real child
 * into a new session and reports its pid and start time on fd 3.
 */
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { RunledgerError } from '../errors.js';
import type { SpawnedProcess, SpawnRequest } from './adapter.js';
import { createAttemptDir, resolveAttemptPaths, type ChildRecord, type SpawnErrorRecord } from './attempt-dir.js';
import { removeCgroup } from './cgroup.js';
import { readBootId } from './proc.js';
import { confirmCgroup, prepareCgroup } from './spawn-cgroup.js';
import type { Tracking } from './tracking.js';
import { requireShim } from './shim-path.js';
import { buildArgv, buildEnv, checkCwd, shimArgs, toSpawnError } from './spawn-request.js';

export interface BackgroundSpawn {
  spawned: SpawnedProcess;
  /** Settles when the shim exits (after exit.json is written). */
  shimExited: Promise<unknown>;
  /** Lets the adapter stop holding the event loop open for this shim. */
  shim: { unref(): void };
}

/** Spawn the shim and the child; rejects SPAWN_FAILED when the child cannot be executed. */
export async function spawnBackground(stateDir: string, req: SpawnRequest, tracking: Tracking): Promise<BackgroundSpawn> {
  const shimBinary = requireShim();
  const paths = resolveAttemptPaths(stateDir, req.runId, req.attempt);
  const argv = buildArgv(req);
  await checkCwd(req);
  await createAttemptDir(paths);
  const cgroup = await prepareCgroup(tracking, req);
  // The shim writes its own complaints to shim.log; no pipe of ours is left for it to block on.
  const shim = execa(shimBinary, [...shimArgs(paths.dir, req, cgroup), '--status-fd', '3', '--', ...argv], {
      cwd: req.cwd,
      env: buildEnv(req),
      extendEnv: false,
      detached: true,
      cleanup: false,
      reject: false,
      buffer: false,
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
  const status = await readStatusLine(shim.stdio[3]);
  if (!status || !('pid' in status)) {
    const result = await shim;
    if (cgroup) await removeCgroup(cgroup);
    if (status) throw toSpawnError(req, status);
    throw new RunledgerError('SPAWN_FAILED', `the exit-status shim failed: ${result.message ?? `exit ${result.exitCode}`}`, {
      shim: shimBinary,
    });
  }
  const identity = { pid: status.pid, pgid: status.pgid, startTime: status.startTime, bootId: await readBootId() };
  return {
    spawned: {
      identity,
      shimPid: status.shimPid,
      tracking: await confirmCgroup(paths, cgroup),
      logs: { stdout: paths.relative('stdout.log'), stderr: paths.relative('stderr.log') },
    },
    shimExited: shim,
    shim,
  };
}

/** The one JSON line the shim writes on fd 3 before closing it. */
async function readStatusLine(stream: Readable | undefined): Promise<ChildRecord | SpawnErrorRecord | undefined> {
  if (!stream) return undefined;
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  const line = text.split('\n')[0]?.trim();
  if (!line) return undefined;
  try {
    return JSON.parse(line) as ChildRecord | SpawnErrorRecord;
  } catch {
    return undefined;
  }
}
