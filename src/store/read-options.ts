/** Read options are defaulted and checked here, once; a wrong type is a programmer's mistake (TypeError). */
import type { Direction } from './backend.js';
import type { ReadOptions, StreamReadOptions } from './event-store.js';

const UNLIMITED = Number.MAX_SAFE_INTEGER;

function normalizeDirection(direction: unknown): Direction {
  if (direction === undefined || direction === 'forwards') return 'forwards';
  if (direction === 'backwards') return 'backwards';
  throw new TypeError(`direction must be 'forwards' or 'backwards', got ${String(direction)}`);
}

function normalizeCount(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

export function readOptions(options: ReadOptions | undefined, head: number): { from: number; direction: Direction; limit: number } {
  const direction = normalizeDirection(options?.direction);
  const from = normalizeCount(options?.from, 'from', direction === 'forwards' ? 1 : head, direction === 'forwards' ? 1 : 0);
  const limit = normalizeCount(options?.limit, 'limit', UNLIMITED, 0);
  // Backwards from beyond the head starts at the head, like forwards from before 1 starts at 1.
  return { from: direction === 'backwards' ? Math.min(from, head) : from, direction, limit };
}

export function streamReadOptions(options: StreamReadOptions | undefined): { fromVersion: number; direction: Direction; limit: number } {
  const direction = normalizeDirection(options?.direction);
  const fromVersion = normalizeCount(
    options?.fromVersion,
    'fromVersion',
    direction === 'forwards' ? 1 : UNLIMITED,
    direction === 'forwards' ? 1 : 0,
  );
  const limit = normalizeCount(options?.limit, 'limit', UNLIMITED, 0);
  return { fromVersion, direction, limit };
}
