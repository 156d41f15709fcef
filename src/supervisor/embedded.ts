/**
 * The embedded default: a Supervisor over a LevelDB ledger and the real
 * runtimes, all state under one home directory (ledger/, runs/<id>/<n>/ for
 * logs and exit records, runs/<id>/env.json for the captured environment). What the daemon runs, and what a library user
 * wants without wiring the pieces.
 *
 * @example
 * const { supervisor, close } = await openEmbedded({ home: '/tmp/rl' });
 * const { run } = await supervisor.start({ command: 'node', args: ['-e', 'console.log(1)'] });
 * console.log((await supervisor.wait(run.id)).status); // completed
 * await close();
 */
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { anchorStore, type AnchorOptions } from '../anchor/anchor-store.js';
import type { Clock } from '../clock.js';
import type { RuntimeAdapter } from '../runtime/adapter.js';
import { createBackgroundRuntime } from '../runtime/background.js';
import { readBootId } from '../runtime/proc.js';
import { createRunEnvFiles } from '../runtime/run-env-file.js';
import { createTmuxRuntime } from '../runtime/tmux.js';
import { openLedger } from '../store/level-store.js';
import type { EventStore } from '../store/event-store.js';
import { Supervisor, type SupervisorOptions } from './supervisor.js';

export interface EmbeddedOptions extends Partial<Omit<SupervisorOptions, 'store' | 'runtime' | 'host'>> {
  home: string;
  clock?: Clock;
  /** Signed checkpoints outside the ledger (default on: <home>/checkpoints.ndjson); false turns them off. */
  anchors?: Omit<AnchorOptions, 'env'> | false;
}

export interface EmbeddedSupervisor {
  supervisor: Supervisor;
  store: EventStore;
  runtimes: { background: RuntimeAdapter; tmux?: RuntimeAdapter };
  home: string;
  /** Close the supervisor (children keep running unless stopRuns), the runtimes and the ledger. */
  close(options?: { stopRuns?: boolean; reason?: string }): Promise<void>;
}

/** Open (creating 0700) a home and the supervisor over it. LEDGER_LOCKED if another process holds it. */
export async function openEmbedded(options: EmbeddedOptions): Promise<EmbeddedSupervisor> {
  const { home, anchors, ...rest } = options;
  await mkdir(home, { recursive: true, mode: 0o700 });
  const ledger = await openLedger({ dir: join(home, 'ledger'), ...(options.clock ? { clock: options.clock } : {}) });
  let store: EventStore;
  try {
    store = anchors === false ? ledger : anchorStore(ledger, home, anchors ?? {});
  } catch (err) {
    await ledger.close();
    throw err;
  }
  try {
    const background = createBackgroundRuntime({ stateDir: home });
    let tmux: RuntimeAdapter | undefined;
    try {
      tmux = createTmuxRuntime({ stateDir: home });
    } catch {
      tmux = undefined; // no tmux on this machine: tmux runs fail with RUNTIME_UNAVAILABLE
    }
    const runtimes = { background, ...(tmux ? { tmux } : {}) };
    const supervisor = await Supervisor.open({
      ...rest,
      store,
      runtime: runtimes,
      host: { pid: process.pid, bootId: await readBootId(), hostname: hostname() },
      envStore: options.envStore ?? createRunEnvFiles(home),
    });
    return {
      supervisor,
      store,
      runtimes,
      home,
      async close(closeOptions = {}) {
        await supervisor.close(closeOptions);
        await Promise.all([background.close(), tmux?.close()]);
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
