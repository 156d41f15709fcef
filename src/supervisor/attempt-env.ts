/**
 * The environment of one attempt, from what is known when it is spawned.
 * Layers, later ones win: the inherited environment (captured at `run`),
 * the env file (read for this spawn), the run's `--env`.
 *
 * The supervisor that started the run holds everything in memory (`given`).
 * Another one (after a daemon restart) has the captured inherited values,
 * the ledger's non-secret `--env` and the env file; a secret value that only
 * the first one had is `missing`, and the attempt must not run without it.
 */
import type { CapturedEnv } from '../runtime/run-env-file.js';
import type { RunSpecRecord } from '../events/schemas.js';
import { splitInherited } from './redact.js';

/** What the caller of `start` gave: the real values, in memory only. */
export interface GivenEnv {
  /** The run's `--env`, unredacted. */
  env: Record<string, string>;
  /** The caller's environment. */
  baseEnv: Record<string, string | undefined>;
  /** What of `baseEnv` may be kept on disk. */
  captured: CapturedEnv;
}

export interface EnvSources {
  spec: Pick<RunSpecRecord, 'env' | 'redactedEnv'>;
  given?: GivenEnv;
  captured?: CapturedEnv;
  fileEnv?: Record<string, string>;
}

export type AttemptEnv =
  | { ok: true; env: Record<string, string>; baseEnv?: Record<string, string | undefined> }
  | { ok: false; missing: string[] };

/** Capture at `start`: the real values for this supervisor, and what of them may be kept on disk. */
export function captureGiven(
  env: Record<string, string>,
  baseEnv: Readonly<Record<string, string | undefined>>,
  secretKeys: readonly string[],
): GivenEnv {
  const { kept, withheld } = splitInherited(baseEnv, secretKeys);
  return { env, baseEnv: { ...baseEnv }, captured: { inherited: kept, withheld } };
}

export function assembleAttemptEnv(s: EnvSources): AttemptEnv {
  const file = s.fileEnv ?? {};
  if (s.given) return { ok: true, baseEnv: s.given.baseEnv, env: { ...file, ...s.given.env } };
  const secret = new Set(s.spec.redactedEnv);
  // The ledger holds placeholders for secret --env values: never hand those to a child.
  const explicit = Object.fromEntries(Object.entries(s.spec.env).filter(([k]) => !secret.has(k)));
  // A secret --env value won over the env file at attempt 1; the file cannot stand in for it.
  const missing = new Set(secret);
  for (const k of s.captured?.withheld ?? []) if (!(k in file)) missing.add(k);
  if (missing.size > 0) return { ok: false, missing: [...missing].sort() };
  // No captured environment: a run recorded before capture existed keeps the old behaviour (this process's env).
  return { ok: true, ...(s.captured ? { baseEnv: s.captured.inherited } : {}), env: { ...file, ...explicit } };
}
