/**
 * Budget and pinning for the simulation tests, from the environment:
 * SIM_RUNS (sequences per property), SIM_SEED and SIM_PATH (replay one
 * failure exactly as fast-check reported it). Set by scripts/sim.mjs.
 */
import type { Parameters } from 'fast-check';

/** `scale` shrinks SIM_RUNS for slower properties (the race tests run a tenth as many). */
export function simParams<T>(defaultRuns: number, scale = 1): Parameters<T> {
  const env = process.env;
  const runs = env.SIM_RUNS ? Math.max(1, Math.ceil(Number(env.SIM_RUNS) * scale)) : defaultRuns;
  const params: Parameters<T> = { numRuns: runs, };
  if (env.SIM_SEED) params.seed = Number(env.SIM_SEED);
  if (env.SIM_PATH) params.path = env.SIM_PATH;
  return params;
}
