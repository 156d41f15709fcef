/** The daemon's runtimes: background always; tmux when tmux is installed (else tmux runs get RUNTIME_UNAVAILABLE). */
import { RunledgerError } from '../errors.js';
import type { RuntimeAdapter } from '../runtime/adapter.js';
import { createBackgroundRuntime } from '../runtime/background.js';
import { createTmuxRuntime } from '../runtime/tmux.js';
import type { Logger } from './logger.js';

export function openRuntimes(stateDir: string, log: Logger): { background: RuntimeAdapter; tmux?: RuntimeAdapter } {
  const background = createBackgroundRuntime({ stateDir });
  try {
    return { background, tmux: createTmuxRuntime({ stateDir }) };
  } catch (err) {
    if (!(err instanceof RunledgerError && err.code === 'RUNTIME_UNAVAILABLE')) throw err;
    log.info('tmux runtime unavailable', { reason: err.message });
    return { background };
  }
}
