#!/usr/bin/env node
// Writes fixtures/ledger-v1.ndjson: a small realistic ledger whose ProcessExited
// events are stored at schemaVersion 1 (`code`, not `exitCode`), hashed over that
// stored form, so tests prove every later runledger still reads and verifies it.
// Uses the built hash function (run `npm run build` first) so there is one definition of the chain.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hashEvent } from '../dist/events/hash.js';

const out = fileURLToPath(new URL('../fixtures/ledger-v1.ndjson', import.meta.url));
const SUP = 'supervisor';
const RUN1 = 'run-01J8Z3Q4W5E6R7T8Y9V0X1S2P3';
const RUN2 = 'run-01J8Z3Q9A1B2C3D4E5F6G7H8J9';
const base = Date.UTC(2024, 8, 20, 9, 30, 0);
const bootId = '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b';
const logs = (run) => ({ stdout: `/home/ana/.runledger/logs/${run}/1.out`, stderr: `/home/ana/.runledger/logs/${run}/1.err` });

function spec(command, args, name) {
  return {
    command,
    args,
    shell: false,
    cwd: '/home/ana/project',
    env: { NODE_ENV: 'test', API_TOKEN: '[REDACTED]' },
    redactedEnv: ['API_TOKEN'],
    name,
    labels: { team: 'web' },
    owner: { session: 'sess-1', turn: 't-3' },
    slot: null,
    key: null,
    timeoutMs: 600000,
    ready: { line: 'listening on', timeoutMs: 10000 },
    stopSignal: 'SIGTERM',
    graceMs: 5000,
    restart: { policy: 'never', maxRestarts: 0, backoffMs: 1000, maxBackoffMs: 30000, minUptimeMs: 1000 },
    logs: { maxBytes: 10485760, keep: 3 },
    runtime: 'background',
  };
}

const events = [
  [SUP, 'SupervisorStarted', 1, { supervisorId: 'sup-01', pid: 4120, version: '0.0.9', bootId, hostname: 'devbox' }],
  [
    RUN1,
    'RunRequested',
    1,
    { spec: spec('node', ['server.js'], 'dev-server'), git: { commit: 'a1b2c3d', dirty: false, root: '/home/ana/project' } },
  ],
  [RUN1, 'ProcessSpawned', 1, { attempt: 1, pid: 4188, pgid: 4188, startTime: '912345', bootId, runtime: 'background', logs: logs(RUN1) }],
  [RUN1, 'ProcessReady', 1, { attempt: 1, via: 'line', detail: 'listening on :3000' }],
  [RUN1, 'Checkpointed', 1, { attempt: 1, checkpoint: { step: 'migrations', done: 12 } }],
  [RUN1, 'ProcessExited', 1, { attempt: 1, code: 0, signal: null }],
  [RUN1, 'RunEnded', 1, { status: 'completed', reason: 'exited with code 0', exitCode: 0, signal: null }],
  [RUN2, 'RunRequested', 1, { spec: spec('npm', ['test', '--', '--watch'], 'tests'), git: null }],
  [RUN2, 'ProcessSpawned', 1, { attempt: 1, pid: 4301, pgid: 4301, startTime: '918800', bootId, runtime: 'background', logs: logs(RUN2) }],
  [RUN2, 'StopRequested', 1, { reason: 'user', signal: 'SIGTERM', graceMs: 5000, force: false, escalateAt: '2024-09-20T09:30:15.000Z' }],
  [RUN2, 'SignalSent', 1, { attempt: 1, signal: 'SIGTERM', target: 'group', pid: 4301, pgid: 4301, reason: 'stop requested by user' }],
  [RUN2, 'ProcessExited', 1, { attempt: 1, code: null, signal: 'SIGTERM' }],
  [RUN2, 'RunEnded', 1, { status: 'killed', reason: 'stopped by user', exitCode: null, signal: 'SIGTERM' }],
  [
    SUP,
    'ReconcileCompleted',
    1,
    { supervisorId: 'sup-01', report: { checked: 0, adopted: 0, recovered: 0, stale: 0, unknown: 0, resumedStops: 0 } },
  ],
];

const versions = new Map();
let prevHash = '0'.repeat(64);
const lines = events.map(([streamId, type, schemaVersion, data], i) => {
  const streamVersion = (versions.get(streamId) ?? 0) + 1;
  versions.set(streamId, streamVersion);
  const id = `01J8Z3R0000000000000000${String(i).padStart(3, '0')}`;
  const e = {
    position: i + 1,
    streamId,
    streamVersion,
    id,
    type,
    data,
    time: new Date(base + i * 1500).toISOString(),
    schemaVersion,
    prevHash,
  };
  prevHash = hashEvent(e);
  return JSON.stringify({ ...e, hash: prevHash });
});
writeFileSync(out, lines.join('\n') + '\n');
console.log(`wrote ${lines.length} events to ${out}`);
