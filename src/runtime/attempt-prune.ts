/**
 * The files `prune` removes: a run's attempt directories (`runs/<id>/<n>/`:
 * logs, their time indexes, the shim's records). The run directory itself
 * and its `env.json` stay, so `rerun` still finds the environment it needs.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveRunDir } from './attempt-dir.js';

export interface AttemptDirsUsage {
  /** Attempt directories present. */
  attempts: number;
  /** Bytes of the files in them. */
  bytes: number;
}

async function attemptDirsOf(runDir: string): Promise<string[]> {
  const entries = await readdir(runDir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && /^[1-9]\d*$/.test(e.name)).map((e) => join(runDir, e.name));
}

/** What deleting the run's attempt dirs would free. */
export async function measureAttemptDirs(stateDir: string, runId: string): Promise<AttemptDirsUsage> {
  const dirs = await attemptDirsOf(resolveRunDir(stateDir, runId));
  let bytes = 0;
  for (const dir of dirs) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      bytes += (await stat(join(dir, name)).catch(() => undefined))?.size ?? 0;
    }
  }
  return { attempts: dirs.length, bytes };
}

/** Delete the run's attempt dirs (the caller made sure the run has ended). */
export async function removeAttemptDirs(stateDir: string, runId: string): Promise<void> {
  for (const dir of await attemptDirsOf(resolveRunDir(stateDir, runId))) await rm(dir, { recursive: true, force: true });
}
