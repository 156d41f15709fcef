/**
 * Read-only answers straight from the ledger when no daemon runs: snapshot +
 * tail, the same shapes as the daemon with `source: 'ledger'`. The ledger is
 * held (LevelDB lock) only for the command's duration. The snapshot is
 * checked before it is used, records that do not decode are skipped, and
 * what the answer cannot stand behind is collected in `warnings()`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { verifyAnchored } from '../anchor/verify-anchored.js';
import type { ListQuery, ListResponse, ReplayResponse, ShowResponse } from '../daemon/api.js';
import { runStreamId, type EventEnvelope } from '../events/envelope.js';
import { loadRunsState } from '../projections/load.js';
import { DEFAULT_PROJECTION_NAME, type SnapshotTrust } from '../projections/catch-up.js';
import { mergeWarnings, skippedWarnings, type LedgerWarning } from '../projections/warnings.js';
import { loadSnapshotKey } from '../daemon/snapshot-key.js';
import { readVerifiedMark, recordFullVerify, verificationWarning } from '../daemon/verified-mark.js';
import type { DamagedRecord } from '../store/event-store.js';
import { getRun, listRuns, stateAt, toRunView } from '../projections/queries.js';
import { momentOf } from '../projections/state-at.js';
import type { RunState } from '../projections/run-state.js';
import type { RunsState } from '../projections/runs.js';
import { timelineOf } from '../projections/timeline.js';
import type { EventStore } from '../store/event-store.js';
import { createMemoryLedger } from '../store/memory-store.js';
import { openLedger } from '../store/level-store.js';
import { exportNdjson } from '../store/ndjson.js';
import type { EventsQuery, ReadBackend, ReplayAt } from './backend.js';
import type { DaemonPaths } from './daemon-link.js';
import { readLogs } from './log-files.js';
import { toRunFilter } from './list-filter.js';
import { dirname } from 'node:path';
import { attemptsToRead } from '../projections/log-attempts.js';

export async function openLedgerBackend(paths: DaemonPaths, now: () => number): Promise<ReadBackend> {
  // No ledger yet (fresh home): answer from an empty one rather than create files a read should not create.
  const exists = existsSync(paths.ledger);
  const store: EventStore = exists ? await openLedger({ dir: paths.ledger }) : createMemoryLedger();
  const found: LedgerWarning[] = [];
  const verification = verificationWarning(readVerifiedMark(paths.home));
  if (verification) found.push(verification);
  const trust: SnapshotTrust = {
    ...(exists ? { key: loadSnapshotKey(paths.home) } : {}),
    onDiscard: (message) => found.push({ code: 'SNAPSHOT_DISCARDED', message }),
  };
  const skip = (d: DamagedRecord) => found.push(...skippedWarnings({ skipped: [d] }));
  let state: RunsState | undefined;
  // The ledger records log paths relative to the runtime's state dir, which is the home.
  const logsOf = (run: RunState) => {
    const logs = run.attempts[run.attempts.length - 1]?.logs;
    return logs ? { stdout: resolve(paths.home, logs.stdout), stderr: resolve(paths.home, logs.stderr) } : null;
  };
  const load = async () => {
    if (state) return state;
    state = await loadRunsState(store, { trust });
    found.push(...skippedWarnings(state));
    return state;
  };

  return {
    source: 'ledger',
    async list(q: ListQuery): Promise<ListResponse> {
      const s = await load();
      return { source: 'ledger', runs: listRuns(s, toRunFilter(q)).map((r) => toRunView(r, now())), position: s.position };
    },
    async show(id: string): Promise<ShowResponse> {
      const run = getRun(await load(), id);
      const events = await store.readStream(runStreamId(run.id), { onDamaged: skip });
      return { source: 'ledger', run: toRunView(run, now()), timeline: timelineOf(events), logs: logsOf(run) };
    },
    async logs(id, query, onLine, signal) {
      const run = getRun(await load(), id);
      const chosen = attemptsToRead(run, query.attempt);
      const last = run.attempts[(chosen.at(-1) ?? 0) - 1];
      if (!last) return;
      // Only the latest attempt can still be written; an earlier one chosen by number is read and done.
      const live = chosen.at(-1) === run.attempts.length;
      const alive = () => live && last.status === 'running' && last.pid !== null && isAlive(last.pid);
      const dirs = chosen.map((attempt) => {
        const logs = run.attempts[attempt - 1]?.logs;
        return { attempt, dir: logs ? dirname(resolve(paths.home, logs.stdout)) : resolve(paths.home, 'runs', run.id, String(attempt)) };
      });
      await readLogs(dirs, query, onLine, { alive, ...(signal ? { signal } : {}) });
    },
    async events(q: EventsQuery, onEvent: (e: EventEnvelope) => void) {
      const runStream = q.run === undefined ? undefined : runStreamId(getRun(await load(), q.run).id);
      const types = q.type && q.type.length > 0 ? new Set(q.type) : undefined;
      const since = q.since === undefined ? undefined : Date.parse(q.since);
      for await (const page of store.scan({ from: q.from ?? 1, onDamaged: skip })) {
        for (const e of page) {
          if (runStream !== undefined && e.streamId !== runStream) continue;
          if (types && !types.has(e.type)) continue;
          if (since !== undefined && Date.parse(e.time) < since) continue;
          onEvent(e);
        }
      }
    },
    async replay(at: ReplayAt, q: ListQuery): Promise<ReplayResponse> {
      const s = await stateAt(store, at, DEFAULT_PROJECTION_NAME, trust);
      found.push(...skippedWarnings(s));
      const atTime = 'time' in at ? at.time : String(at.position);
      const then = 'time' in at ? Date.parse(at.time) : await momentOf(store, s);
      return { source: 'ledger', position: s.position, at: atTime, runs: listRuns(s, toRunFilter(q)).map((r) => toRunView(r, then)) };
    },
    async verify(o = {}) {
      const head = await store.head();
      const result = await verifyAnchored(store, { home: paths.home, ...(o.anchor ? { anchor: o.anchor } : {}) });
      // Holding the ledger's lock, this is the whole log as it is: its verdict replaces the daemon's last one.
      if (exists) recordFullVerify(paths.home, result, head);
      return result;
    },
    async exportLog(run, onLine) {
      const streamId = run === undefined ? undefined : runStreamId(getRun(await load(), run).id);
      for await (const line of exportNdjson(store, streamId === undefined ? {} : { streamId })) onLine(line.trimEnd());
    },
    warnings: () => mergeWarnings(found),
    close: () => store.close(),
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
