/** Shared test helpers: valid events, temp dirs, collecting errors. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { NewEvent } from '../../src/events/envelope.js';
import type { Clock } from '../../src/clock.js';

export function started(n = 1): NewEvent {
  return {
    type: 'SupervisorStarted',
    data: { supervisorId: `sup-${n}`, pid: 1000 + n, version: '0.1.0', bootId: 'boot-1', hostname: 'host' },
  };
}

export function startedMany(count: number, offset = 0): NewEvent[] {
  return Array.from({ length: count }, (_, i) => started(offset + i + 1));
}

/** A caller-chosen ULID, distinct per n (Crockford base32 digits only). */
export function ulidFor(n: number): string {
  const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const digits = [...n.toString(32)].map((d) => crockford[parseInt(d, 32)]).join('');
  return '01J0000000000000' + digits.padStart(10, '0');
}

export function fixedClock(start = Date.UTC(2025, 0, 1)): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    setTimer: () => ({ cancel() {} }),
    advance(ms) {
      now += ms;
    },
  };
}

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'runledger-store-'));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** The rejection of a promise that must reject (fails the test if it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Polls until `condition` holds (no wall-clock assertion: it only bounds a hang). */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Child-process tests run the built store: fail clearly when dist/ is missing or older than src/store. */
export function assertStoreBuilt(storeEntry: string): void {
  if (!existsSync(storeEntry))
    throw new Error(`${storeEntry} is missing: run \`npm run build\` (or \`npx tsc -p tsconfig.build.json\`) before this test`);
  const built = statSync(storeEntry).mtimeMs;
  const srcDir = join(dirname(storeEntry), '../../src/store');
  const stale = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && statSync(join(srcDir, f)).mtimeMs > built,
  );
  if (stale.length > 0) throw new Error(`dist/ is older than src/store (${stale.join(', ')}): rebuild with \`npm run build\``);
}
