/** Reproducible ULIDs: time from the virtual clock, randomness from a seeded PRNG. */
import { monotonicFactory } from 'ulid';
import type { IdGenerator } from '../ids.js';

/** mulberry32: small, fast, good enough to make ids distinct and reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededIds(now: () => number, seed: number): IdGenerator {
  const factory = monotonicFactory(seededRandom(seed));
  return { next: () => factory(now()) };
}
