/**
 * The cgroup side of a spawn: create the attempt's cgroup before the shim
 * runs (the shim moves the child in before exec), then read what the child
 * reported: a `cgroup-error` file means it could not join, so the attempt
 * is tracked by its process group, and is recorded as such.
 */
import { readFile } from 'node:fs/promises';
import type { SpawnRequest, TrackingMode } from './adapter.js';
import type { AttemptPaths } from './attempt-dir.js';
import { attemptCgroup, createCgroup, removeCgroup } from './cgroup.js';
import type { Tracking } from './tracking.js';

/** The cgroup the child should join, created; undefined without cgroup tracking or if it cannot be made. */
export async function prepareCgroup(tracking: Tracking, req: SpawnRequest): Promise<string | undefined> {
  if (tracking.mode !== 'cgroup') return undefined;
  const path = attemptCgroup(tracking.base, req.runId, req.attempt);
  return createCgroup(path).then(
    () => path,
    () => undefined,
  );
}

/** After the exec was reported: did the child really join? */
export async function confirmCgroup(paths: AttemptPaths, cgroup: string | undefined): Promise<TrackingMode> {
  if (!cgroup) return 'process-group';
  const failed = await readFile(paths.file('cgroup-error'), 'utf8').then(
    () => true,
    () => false,
  );
  if (!failed) return 'cgroup';
  await removeCgroup(cgroup);
  return 'process-group';
}
