import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRunledgerError } from '../../src/errors.js';
import { createTmuxRuntime } from '../../src/runtime/tmux.js';
import { runtimeContract } from './contract.js';
import { makeStateDir, removeDir } from './helpers.js';

/** Kill only our private server, through its socket, then let the pipe-pane log writers finish. */
async function killServer(stateDir: string): Promise<void> {
  try {
    execFileSync('tmux', ['-S', join(stateDir, 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
  } catch {
    // no server was running (it exits by itself when its last session ends)
  }
  const runs = join(stateDir, 'runs');
  const attempts = existsSync(runs) ? readdirSync(runs).flatMap((r) => readdirSync(join(runs, r)).map((a) => join(runs, r, a))) : [];
  const writing = (): boolean => attempts.some((d) => existsSync(join(d, 'go')) && !existsSync(join(d, 'output.done')));
  for (let i = 0; i < 150 && writing(); i++) await new Promise((r) => setTimeout(r, 20));
}

runtimeContract('tmux', (stateDir) => createTmuxRuntime({ stateDir }), { separateStderr: false, cleanup: killServer });

describe('tmux runtime', () => {
  it('gives an attach command on the private socket', () => {
    const stateDir = makeStateDir();
    try {
      const runtime = createTmuxRuntime({ stateDir });
      expect(runtime.attachCommand?.('01ABC')).toEqual({
        command: 'tmux',
        args: ['-S', join(stateDir, 'tmux.sock'), 'attach-session', '-t', 'rl-01ABC'],
      });
    } finally {
      removeDir(stateDir);
    }
  });

  it('is RUNTIME_UNAVAILABLE when tmux is missing', () => {
    expect(() => createTmuxRuntime({ stateDir: '/nonexistent', tmuxBinary: 'runledger-no-tmux-here' })).toThrow(
      expect.objectContaining({ code: 'RUNTIME_UNAVAILABLE' }),
    );
    try {
      createTmuxRuntime({ stateDir: '/nonexistent', tmuxBinary: 'runledger-no-tmux-here' });
    } catch (err) {
      expect(isRunledgerError(err, 'RUNTIME_UNAVAILABLE')).toBe(true);
    }
  });
});
