import { afterEach, describe, expect, it } from 'vitest';
import { createBackgroundRuntime } from '../../src/runtime/background.js';
import { runtimeContract } from './contract.js';
import { makeStateDir, removeDir, request, Started } from './helpers.js';

runtimeContract('background', (stateDir) => createBackgroundRuntime({ stateDir }));

describe('background runtime', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));

  it('stops many processes in parallel, each wait resolved by its own exit', async () => {
    const stateDir = makeStateDir();
    dirs.push(stateDir);
    const runtime = createBackgroundRuntime({ stateDir });
    const started = new Started();
    try {
      const reqs = Array.from({ length: 12 }, () => request({ command: 'sleep', args: ['1000'] }));
      const procs = await Promise.all(reqs.map(async (r) => started.track(await runtime.spawn(r))));
      const waits = procs.map((p, i) => runtime.waitExit(reqs[i]!.runId, 1, p.identity));
      await Promise.all(procs.map((p) => runtime.signal(p.identity, 'SIGTERM', 'group')));
      const exits = await Promise.all(waits);
      expect(exits.every((e) => e?.signal === 'SIGTERM')).toBe(true);
    } finally {
      await started.killAll(runtime);
      await runtime.close();
    }
  });

  it('rejects ids that are not ours before touching the disk', async () => {
    const stateDir = makeStateDir();
    dirs.push(stateDir);
    const runtime = createBackgroundRuntime({ stateDir });
    await expect(runtime.spawn(request({ command: 'true', runId: '../etc' }))).rejects.toThrow(TypeError);
    await expect(runtime.spawn(request({ command: 'true', attempt: 1.5 }))).rejects.toThrow(TypeError);
    await runtime.close();
  });
});
