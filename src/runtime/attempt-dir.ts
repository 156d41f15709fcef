/**
 * The attempt directory `<stateDir>/runs/<runId>/<attempt>/` and the files
 * the shim leaves in it. Paths are built only from our own ids, validated
 * here, so no user string ever becomes part of a path.
 */
import { access, mkdir, readFile, statfs } from 'node:fs/promises';
import { fdSlots } from './fd-slots.js';
import { join } from 'node:path';
import type { ExitStatus, ProcessIdentity, RecordSpace } from './adapter.js';

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
    text = await readWithRetry(path);
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/**
 * Read a small file under the runtime's descriptor cap. Running out of
 * descriptors is not "the file is not there": taken for absence, an exit
 * record unread in a burst of 1,000 exits became a run ended `unknown`.
 */
async function readWithRetry(path: string): Promise<string> {
  for (let tries = 1; ; tries++) {
    try {
      return await fdSlots.run(() => readFile(path, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'EMFILE' && code !== 'ENFILE') || tries >= 50) throw err;
      await new Promise((r) => setTimeout(r, 20 * tries));
    }
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

/** The evidence for a missing exit record: free space in the attempt dir, and whether the reserved placeholder is left. */
export async function readRecordSpace(paths: AttemptPaths): Promise<RecordSpace | undefined> {
  try {
    const fs = await statfs(paths.dir);
    const placeholderLeft = await access(paths.file('.exit.json.tmp')).then(
      () => true,
      () => false,
    );
    return { freeBytes: fs.bavail * fs.bsize, placeholderLeft };
  } catch {
    return undefined; // the attempt dir itself is gone: nothing to add
  }
}
