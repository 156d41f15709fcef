/**
 * The tmux runtime: each run gets a detached session `rl-<runId>` on a
 * private tmux server (socket in the state dir), so a person can attach and
 * watch or type. The shim is the pane's process, so exit capture, identity
 * checks and group signalling work exactly as in the background runtime.
 *
 * @example
 * const runtime = createTmuxRuntime({ stateDir });
 * const p = await runtime.spawn(req);
 * const { command, args } = runtime.attachCommand!(req.runId); // tmux -S <sock> attach-session -t rl-<runId>
 */
import { setMaxListeners } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { Clock } from '../clock.js';
import type { RuntimeAdapter } from './adapter.js';
import { resolveAttemptPaths } from './attempt-dir.js';
import { createAttemptOps } from './attempt-ops.js';
import { requireShim } from './shim-path.js';
import { spawnInTmux } from './spawn-tmux.js';
import { locateTmux, sessionName } from './tmux-command.js';
import { removeCgroup } from './cgroup.js';
import { resolveTracking } from './tracking.js';

export interface TmuxRuntimeOptions {
  /** Where `runs/<runId>/<attempt>/` and the private `tmux.sock` live; created 0700. */
  stateDir: string;
  clock?: Clock;
  /** The tmux binary (default `tmux` on PATH). */
  tmuxBinary?: string;
}

/** Create the tmux RuntimeAdapter; throws RUNTIME_UNAVAILABLE without tmux or the shim. */
export function createTmuxRuntime(options: TmuxRuntimeOptions): RuntimeAdapter {
  if (typeof options?.stateDir !== 'string' || options.stateDir === '') throw new TypeError('stateDir is required');
  const stateDir = options.stateDir;
  const server = locateTmux(stateDir, options.tmuxBinary);
  requireShim();
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const closing = new AbortController();
  setMaxListeners(0, closing.signal);
  // The shim is tmux's child, not ours: waits always go through its files, as for adopted runs.
  const tree = { tracking: resolveTracking(stateDir), seen: new Map<string, Map<number, string>>() };
  const ops = createAttemptOps({ stateDir, tree, closing: closing.signal, shimExitOf: () => undefined });

  return {
    kind: 'tmux',
    ...ops,
    spawn: (req) => spawnInTmux(server, stateDir, req, tree.tracking),
    attachCommand(runId: string) {
      resolveAttemptPaths(stateDir, runId, 1); // validates the id before it reaches a command line
      return { command: server.binary, args: ['-S', server.socket, 'attach-session', '-t', sessionName(runId)] };
    },
    async close() {
      closing.abort(); // sessions belong to their runs and outlive this adapter
      // This home's own cgroup, if nothing is left in it (live runs keep theirs, and so it stays).
      if (tree.tracking.mode === 'cgroup') await removeCgroup(tree.tracking.base);
    },
  };
}
