/**
 * The background runtime: each attempt is a detached shim parenting the
 * real child in its own session and process group. Nothing here needs the
 * supervisor to stay alive; a new instance on the same state dir picks up
 * where an earlier one left off (waitExit/inspect/output read the shim's files).
 *
 * @example
 * const runtime = createBackgroundRuntime({ stateDir });
 * const p = await runtime.spawn({ runId, attempt: 1, command: 'sleep', args: ['5'], shell: false,
 *   cwd: process.cwd(), env: {}, logs: { maxBytes: 1 << 20, keep: 2 } });
 * await runtime.signal(p.identity, 'SIGTERM', 'group');
 * const exit = await runtime.waitExit(runId, 1, p.identity);
 */
import { setMaxListeners } from 'node:events';
import type { Clock } from '../clock.js';
import type { RuntimeAdapter } from './adapter.js';
import { createAttemptOps } from './attempt-ops.js';
import type { ShimExit } from './shim-loss.js';
import { requireShim } from './shim-path.js';
import { spawnBackground } from './spawn-background.js';
import { removeCgroup } from './cgroup.js';
import { resolveTracking } from './tracking.js';

export interface BackgroundRuntimeOptions {
  /** Where `runs/<runId>/<attempt>/` live; created 0700. */
  stateDir: string;
  /** Accepted for symmetry with the other adapters; the OS supplies all times here. */
  clock?: Clock;
}

/** Create the background RuntimeAdapter; throws RUNTIME_UNAVAILABLE when the shim is not built. */
export function createBackgroundRuntime(options: BackgroundRuntimeOptions): RuntimeAdapter {
  if (typeof options?.stateDir !== 'string' || options.stateDir === '') throw new TypeError('stateDir is required');
  requireShim();
  const stateDir = options.stateDir;
  const closing = new AbortController();
  // Every pending waitExit listens here (50 parallel stops is normal), so no listener cap.
  setMaxListeners(0, closing.signal);
  const shims = new Map<string, { exited: Promise<ShimExit>; shim: { unref(): void } }>();
  const keyOf = (runId: string, attempt: number): string => `${runId}/${attempt}`;
  const tree = { tracking: resolveTracking(stateDir), seen: new Map<string, Map<number, string>>() };
  const ops = createAttemptOps({
    stateDir,
    tree,
    closing: closing.signal,
    shimExitOf: (runId, attempt) => shims.get(keyOf(runId, attempt))?.exited,
  });

  return {
    kind: 'background',
    ...ops,
    async spawn(req) {
      const { spawned, shimExited, shim } = await spawnBackground(stateDir, req, tree.tracking);
      const key = keyOf(req.runId, req.attempt);
      const exited = shimExited.finally(() => shims.delete(key));
      shims.set(key, { exited, shim });
      return spawned;
    },
    async close() {
      closing.abort();
      // Children keep running (that is the point of the shim); just stop holding the event loop open for them.
      for (const { shim } of shims.values()) shim.unref();
      shims.clear();
      // This home's own cgroup, if nothing is left in it (live runs keep theirs, and so it stays).
      if (tree.tracking.mode === 'cgroup') await removeCgroup(tree.tracking.base);
    },
  };
}
