/**
 * Tamper with a closed LevelDB ledger the way an auditor (or a newer
 * runledger) would: edit a record and re-chain every later hash and the head
 * so `verify` still passes, edit a snapshot's text, or edit a record without
 * re-chaining. Used by the damage and snapshot tests.
 */
import { ClassicLevel } from 'classic-level';
import { hashEvent, type UnhashedEnvelope } from '../../src/events/hash.js';
import { padNumber } from '../../src/store/keys.js';
import { openLedger } from '../../src/store/level-store.js';

type Db = ClassicLevel<string, string>;
type Stored = Record<string, unknown> & { position: number; hash: string; prevHash: string };

export const logKey = (p: number): string => '!log!' + padNumber(p);
const HEAD_KEY = '!meta!head';

/** Edit the raw LevelDB of a closed ledger through a second handle. */
export async function withRawLedger<T>(dir: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Replace record `position` with `edit(record)` and recompute its hash and every later one (and the head): the chain still verifies. */
export async function editAndRechain(dir: string, position: number, edit: (rec: Stored) => Record<string, unknown>): Promise<void> {
  await withRawLedger(dir, async (db) => {
    let prevHash = (JSON.parse((await db.get(logKey(position)))!) as Stored).prevHash;
    for (let p = position; ; p++) {
      const raw = await db.get(logKey(p));
      if (raw === undefined) break;
      const rec = JSON.parse(raw) as Stored;
      const next = { ...(p === position ? edit(rec) : rec), prevHash } as Stored;
      const { hash: _old, ...unhashed } = next;
      next.hash = hashEvent(unhashed as unknown as UnhashedEnvelope);
      await db.put(logKey(p), JSON.stringify(next));
      await db.put(HEAD_KEY, JSON.stringify({ position: p, hash: next.hash }));
      prevHash = next.hash;
    }
  });
}

/** Edit a record's stored JSON text and nothing else (the chain breaks at it). */
export async function editRecordText(dir: string, position: number, edit: (json: string) => string): Promise<void> {
  await withRawLedger(dir, async (db) => db.put(logKey(position), edit((await db.get(logKey(position)))!)));
}

/** Edit the stored text of the projection snapshot `name`; throws when there is none. */
export async function editSnapshotText(dir: string, edit: (json: string) => string, name = 'runs'): Promise<void> {
  await withRawLedger(dir, async (db) => {
    const key = `!snapshots!${name}`;
    const json = await db.get(key);
    if (json === undefined) throw new Error(`no snapshot ${name} to edit`);
    const edited = edit(json);
    if (edited === json) throw new Error('the snapshot edit changed nothing');
    await db.put(key, edited);
  });
}

export async function readSnapshotText(dir: string, name = 'runs'): Promise<string | undefined> {
  return withRawLedger(dir, async (db) => db.get(`!snapshots!${name}`));
}

const SPEC = {
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

/** A run that completed with exit 0, in 4 events: requested, spawned, exited 0, ended completed. */
export function completedRunEvents(name: string, pid: number) {
  return [
    { type: 'RunRequested', data: { spec: { ...SPEC, name }, git: null } },
    {
      type: 'ProcessSpawned',
      data: { attempt: 1, pid, pgid: pid, startTime: '1', bootId: 'test-boot', runtime: 'background', logs: { stdout: 'o', stderr: 'e' } },
    },
    { type: 'ProcessExited', data: { attempt: 1, exitCode: 0, signal: null } },
    { type: 'RunEnded', data: { status: 'completed', reason: 'exited with code 0', exitCode: 0, signal: null } },
  ] as const;
}

/** Append `runs` completed runs (4 events each; on an empty ledger at positions 4k+1..4k+4), named from job-<first+1>; returns their ids. */
export async function seedCompletedRuns(dir: string, runs: number, first = 0): Promise<string[]> {
  const store = await openLedger({ dir });
  const ids: string[] = [];
  try {
    for (let i = first; i < first + runs; i++) {
      const id = `01J${String(i + 1).padStart(23, '0')}`;
      // Dead pids well above pid_max, so no reconcile ever finds them alive.
      await store.append(`run-${id}`, completedRunEvents(`job-${i + 1}`, 4_000_000 + i) as never, { expectedVersion: 'no_stream' });
      ids.push(id);
    }
  } finally {
    await store.close();
  }
  return ids;
}
