import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRunledgerError } from '../../src/errors.js';
import { createTmuxRuntime } from '../../src/runtime/tmux.js';
import { runtimeContract } from './contract.js';
import { killServer, makeStateDir, removeDir } from './helpers.js';

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
