/**
 * The real adapters held to the same portable contract as the simulator's
 * fake (test/sim/runtime-contract.test.ts): one set of rules for all three.
 */
import type { ProcessIdentity, RuntimeAdapter, SpawnedProcess, SpawnRequest } from '../../src/runtime/adapter.js';
import { createBackgroundRuntime } from '../../src/runtime/background.js';
import { createTmuxRuntime } from '../../src/runtime/tmux.js';
import { killServer, makeStateDir, nodeRequest, removeDir, request, Started, waitForLine } from './helpers.js';
import { portableRuntimeContract } from './portable-contract.js';

function harness(make: (stateDir: string) => RuntimeAdapter, teardown: (stateDir: string) => Promise<void> = async () => undefined) {
  return {
    async create() {
      const stateDir = makeStateDir();
      const started = new Started();
      const made: RuntimeAdapter[] = [];
      const tracked = (r: RuntimeAdapter): RuntimeAdapter => {
        made.push(r);
        return { ...r, kind: r.kind, spawn: async (req) => started.track((await r.spawn(req)) as SpawnedProcess) };
      };
      const runtime = tracked(make(stateDir));
      return {
        runtime,
        later: () => tracked(make(stateDir)),
        async dispose() {
          await started.killAll(runtime);
          for (const r of made) await r.close();
          await teardown(stateDir);
          removeDir(stateDir);
        },
      };
    },
    sleeper: () => request({ command: 'sleep', args: ['300'] }),
    exitsWith: (code: number) => nodeRequest('exit-with-code.mjs', [String(code)]),
    grandchildIgnoringTerm: () => nodeRequest('grandchild-ignores-sigterm.mjs'),
    // The grandchild prints IGNORING only after its TERM handler is installed.
    grandchildSetUp: async (runtime: RuntimeAdapter, req: SpawnRequest) =>
      void (await waitForLine(runtime.output(req.runId, req.attempt), /^IGNORING/)),
    prints: (line: string) => request({ command: 'sh', args: ['-c', `echo ${line}`] }),
    missingCommand: () => request({ command: 'runledger-no-such-command' }),
    passTime: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    stale: (id: ProcessIdentity) => [
      { ...id, startTime: String(BigInt(id.startTime) - 1n) },
      { ...id, bootId: '00000000-0000-0000-0000-000000000000' },
    ],
  };
}

portableRuntimeContract(
  'background',
  harness((stateDir) => createBackgroundRuntime({ stateDir })),
);
portableRuntimeContract(
  'tmux',
  harness((stateDir) => createTmuxRuntime({ stateDir }), killServer),
);
