// A synthetic ledger history for benchmarks: completed runs of EVENTS_PER_RUN
// events each (requested, spawned, checkpoints, exited, ended), written
// through our own store so it is exactly what a real ledger holds.
import { openLedger } from '../../dist/store/index.js';

/** Append about `total` events as completed runs to the ledger in `ledgerDir`; returns how many were written. */
export async function writeHistory(ledgerDir, total, EVENTS_PER_RUN = 1000) {
  const store = await openLedger({ dir: ledgerDir });
  const spec = {
    command: 'agent',
    args: ['--task', 'x'],
    shell: false,
    cwd: '/tmp',
    env: {},
    redactedEnv: [],
    name: 'agent',
    labels: {},
    owner: { session: 's' },
    slot: null,
    key: null,
    timeoutMs: null,
    ready: null,
    stopSignal: 'SIGTERM',
    graceMs: 10000,
    restart: { policy: 'never', maxRestarts: 0, backoffMs: 1000, maxBackoffMs: 30000, minUptimeMs: 1000 },
    logs: { maxBytes: 1048576, keep: 3 },
    runtime: 'background',
  };
  let written = 0;
  for (let run = 0; written < total; run++) {
    const n = Math.min(EVENTS_PER_RUN, total - written);
    if (n < 4) break;
    const id = `01J${String(run).padStart(23, '0')}`;
    const events = [
      { type: 'RunRequested', data: { spec, git: null } },
      {
        type: 'ProcessSpawned',
        data: {
          attempt: 1,
          pid: 100000 + run,
          pgid: 100000 + run,
          startTime: '1',
          bootId: 'bench-boot',
          runtime: 'background',
          logs: { stdout: 'o', stderr: 'e' },
        },
      },
      ...Array.from({ length: n - 4 }, (_, i) => ({
        type: 'Checkpointed',
        data: { attempt: 1, checkpoint: { step: i, note: 'tool call finished' } },
      })),
      { type: 'ProcessExited', data: { attempt: 1, exitCode: 0, signal: null } },
      { type: 'RunEnded', data: { status: 'completed', reason: 'exited with code 0', exitCode: 0, signal: null } },
    ];
    await store.append(`run-${id}`, events, { expectedVersion: 'no_stream' });
    written += n;
  }
  await store.close();
  return written;
}
