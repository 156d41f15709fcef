/**
 * The environment a run captured at `run`, kept beside its attempts in
 * `<stateDir>/runs/<runId>/env.json` (0600, in the 0700 home), so that an
 * attempt spawned by another daemon gets the same environment. Never in the
 * ledger, and never a secret value: the caller (supervisor/) keeps only the
 * names of secret variables in `withheld`.
 */
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { RunledgerError } from '../errors.js';
import { resolveRunDir } from './attempt-dir.js';

export interface CapturedEnv {
  /** The inherited variables whose values may be kept. */
  inherited: Record<string, string>;
  /** Names of inherited variables that were secret: their values were not kept. */
  withheld: string[];
}

/** Where captured environments live; the daemon keeps them in files, a test may keep them in memory. */
export interface RunEnvStore {
  save(runId: string, env: CapturedEnv): Promise<void>;
  /** undefined when nothing was kept for the run (a run recorded before env capture existed). */
  load(runId: string): Promise<CapturedEnv | undefined>;
}

const FILE = 'env.json';

export function createRunEnvFiles(stateDir: string): RunEnvStore {
  return {
    async save(runId, env) {
      const dir = resolveRunDir(stateDir, runId);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // Written whole or not at all: temp file (created 0600, never widened), fsync, rename.
      const tmp = join(dir, `${FILE}.tmp`);
      await unlink(tmp).catch(() => undefined);
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(JSON.stringify({ version: 1, inherited: env.inherited, withheld: env.withheld }));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, join(dir, FILE));
    },
    async load(runId) {
      const path = join(resolveRunDir(stateDir, runId), FILE);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw unreadable(path, (err as Error).message);
      }
      return parseCaptured(text, path);
    },
  };
}

function parseCaptured(text: string, path: string): CapturedEnv {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw unreadable(path, 'not JSON');
  }
  const o = raw as { inherited?: unknown; withheld?: unknown };
  const inherited = o?.inherited;
  const okInherited = inherited !== null && typeof inherited === 'object' && Object.values(inherited).every((v) => typeof v === 'string');
  const okWithheld = Array.isArray(o?.withheld) && o.withheld.every((k) => typeof k === 'string');
  if (!okInherited || !okWithheld) throw unreadable(path, 'not a captured environment');
  return { inherited: inherited as Record<string, string>, withheld: o.withheld as string[] };
}

// A damaged file must not quietly become "the daemon's own environment".
function unreadable(path: string, why: string): RunledgerError {
  return new RunledgerError('SPAWN_FAILED', `the environment captured for this run (${path}) cannot be read: ${why}`, { path });
}
