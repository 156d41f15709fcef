/**
 * The attempt directory `<stateDir>/runs/<runId>/<attempt>/` and the files
 * the shim leaves in it. Paths are built only from our own ids, validated
 * here, so no user string ever becomes part of a path.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExitStatus, ProcessIdentity } from './adapter.js';

export interface AttemptPaths {
  dir: string;
  /** Path of a file in the attempt dir relative to the state dir, for the ledger. */
  relative(name: string): string;
  file(name: string): string;
}

/** What the shim records once exec succeeded (child.json). */
export interface ChildRecord {
  pid: number;
  pgid: number;
  startTime: string;
  shimPid: number;
  /** Written by shims since the discover() support; absent in older records. */
  bootId?: string;
}

/** What the shim records when exec failed (spawn-error.json). */
export interface SpawnErrorRecord {
  errno: number;
  code: string;
  message: string;
}

/** `<stateDir>/runs/<runId>`; rejects ids that are not ours (TypeError: a programming mistake). */
export function resolveRunDir(stateDir: string, runId: string): string {
  assertRunId(runId);
  return join(stateDir, 'runs', runId);
}

function assertRunId(runId: string): void {
  if (typeof runId !== 'string' || !/^[0-9A-Z]{1,64}$/.test(runId)) {
    throw new TypeError(`runId must be an uppercase ULID-like id, got ${JSON.stringify(runId)}`);
  }
}

/** Paths of one attempt; rejects ids that are not ours (TypeError: a programming mistake). */
export function resolveAttemptPaths(stateDir: string, runId: string, attempt: number): AttemptPaths {
  assertRunId(runId);
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new TypeError(`attempt must be a positive integer, got ${String(attempt)}`);
  }
  const rel = join('runs', runId, String(attempt));
  return {
    dir: join(stateDir, rel),
    relative: (name) => join(rel, name),
    file: (name) => join(stateDir, rel, name),
  };
}

/** Create the attempt dir (and its parents) private to this user. */
export async function createAttemptDir(paths: AttemptPaths): Promise<void> {
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
}

/** Parse a JSON file the shim wrote atomically; undefined when it is not there (yet). */
export async function readJsonFile<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** The shim's exit record for this attempt, if it wrote one for this pid. */
export async function readExitRecord(paths: AttemptPaths, identity?: ProcessIdentity): Promise<ExitStatus | undefined> {
  const raw = await readJsonFile<ExitStatus & { pid: number }>(paths.file('exit.json'));
  if (!raw || (identity && raw.pid !== identity.pid)) return undefined;
  return { exitCode: raw.exitCode, signal: raw.signal, exitedAt: raw.exitedAt ?? null };
}

export function readChildRecord(paths: AttemptPaths): Promise<ChildRecord | undefined> {
  return readJsonFile<ChildRecord>(paths.file('child.json'));
}
