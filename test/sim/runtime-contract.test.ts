/** The simulator's RuntimeAdapter held to the portable part of the runtime contract. */
import { ulid } from 'ulid';
import type { ProcessIdentity, SpawnRequest } from '../../src/runtime/adapter.js';
import { SimClock, SimHost, SimRuntime, type SimSession } from '../../src/sim/index.js';
import { portableRuntimeContract } from '../runtime/portable-contract.js';

const clock = new SimClock();
const session = (label: string): SimSession => ({ label, dead: false, gate: () => 'proceed', crash: () => undefined });
let attempt = 0;
const req = (command: string, args: string[] = []): SpawnRequest => ({
  runId: ulid(clock.now()).toUpperCase(),
  attempt: ++attempt,
  command,
  args,
  shell: false,
  cwd: '/',
  env: {},
  logs: { maxBytes: 1 << 20, keep: 1 },
});

portableRuntimeContract('sim', {
  async create() {
    const host = new SimHost(clock);
    return { runtime: new SimRuntime(host, session('a')), later: () => new SimRuntime(host, session('b')), dispose: async () => undefined };
  },
  sleeper: () => req('sim'),
  exitsWith: (code) => req('sim', [`--exit-after=10:${code}`]),
  grandchildIgnoringTerm: () => req('sim', ['--grandchild=ignore-term']),
  // The simulated grandchild ignores TERM from the moment it exists.
  grandchildSetUp: async () => undefined,
  prints: (line) => req('sim', [`--line-after=5:${line}`, '--exit-after=20:0']),
  missingCommand: () => req('no-such-command'),
  passTime: (ms) => clock.advance(ms),
  stale: (id: ProcessIdentity) => [
    { ...id, startTime: String(BigInt(id.startTime) - 1n) },
    { ...id, bootId: 'another-boot' },
  ],
});
