/**
 * The replicator: ships every local event to the fleet ledger, in order,
 * exactly once. Where it stands is read from the fleet itself (the highest
 * local position stored for this host), so a restart, a crash or a lost
 * connection resumes exactly after the last committed event; the fleet's
 * (host, local_position) key and event ids make a retry a no-op. It runs
 * beside supervision and never blocks it: when the database is unreachable
 * it retries with a capped backoff and the lag grows, visibly.
 */
import type { EventStore } from '../store/event-store.js';
import { RunledgerError } from '../errors.js';
import { openFleetStore, type FleetStore } from './open-fleet.js';
import { shipPage } from './ship-page.js';
import { beat, shippedPosition } from './host-rows.js';
import { redactSecret } from './redact-url.js';

export interface ReplicatorOptions {
  local: EventStore;
  url: string;
  host: string;
  /** Events per fleet transaction. */
  pageSize?: number;
  /** How often an idle replicator looks at the local head. */
  pollMs?: number;
  heartbeatMs?: number;
  log?: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
}

export interface ReplicationStatus {
  host: string;
  connected: boolean;
  /** Last local position known stored in the fleet ledger. */
  shipped: number;
  localHead: number;
  /** Local events not known to be in the fleet ledger (all of them until the fleet has been asked). */
  lag: number;
  /** The fleet is known to hold every local event. */
  synced: boolean;
  lastShippedAt?: string;
  lastError?: { code: string; message: string; at: string };
}

export interface Replicator {
  /** Where replication stands, from memory (cheap enough for every `daemon status`). */
  status(): ReplicationStatus;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 3000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function startReplicator(options: ReplicatorOptions): Replicator {
  const { local, url, host } = options;
  const pageSize = options.pageSize ?? 500;
  const pollMs = options.pollMs ?? 100;
  const heartbeatMs = options.heartbeatMs ?? 2000;
  const log = options.log ?? (() => undefined);
  let fleet: FleetStore | undefined;
  let shipped = -1;
  let stopped = false;
  let lastShippedAt: string | undefined;
  let lastError: ReplicationStatus['lastError'];
  let lastBeat = 0;
  let wake: (() => void) | undefined;
  let localHead = -1;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => ((wake = undefined), resolve()), ms);
      wake = () => (clearTimeout(t), (wake = undefined), resolve());
    });

  function fail(err: unknown): void {
    const code = err instanceof RunledgerError ? err.code : 'FLEET_UNAVAILABLE';
    const message = redactSecret(String((err as Error)?.message ?? err), url);
    if (lastError?.message !== message) log('warn', 'fleet replication paused', { code, error: message });
    lastError = { code, message, at: new Date().toISOString() };
  }

  async function connect(): Promise<FleetStore> {
    const store = await openFleetStore({ url, watch: false, connections: 2 });
    try {
      shipped = await shippedPosition(store.backend, host, local);
    } catch (err) {
      await store.close().catch(() => undefined);
      throw err;
    }
    log('info', 'fleet replication connected', { host, shipped });
    lastError = undefined;
    return store;
  }

  async function step(): Promise<boolean> {
    fleet ??= await connect();
    const now = Date.now();
    if (now - lastBeat >= heartbeatMs) {
      await beat(fleet.backend, host, localHead);
      lastBeat = now;
    }
    if (localHead < 0 || shipped >= localHead) return false;
    for await (const page of local.scanStored({ from: shipped + 1, pageSize })) {
      const lines = page.map((json, i) => ({ position: shipped + 1 + i, json }));
      shipped = await shipPage(fleet, host, lines);
      lastShippedAt = new Date().toISOString();
      lastError = undefined;
      break;
    }
    return true;
  }

  const readLocalHead = async () => {
    localHead = Math.max(localHead, (await local.head()).position);
  };
  // The lag stays true while the loop waits out an outage: the local head is read on its own clock.
  const headTimer = setInterval(() => void readLocalHead().catch(() => undefined), pollMs);
  headTimer.unref();
  void readLocalHead().catch(() => undefined);

  const loop = (async () => {
    let backoff = 250;
    while (!stopped) {
      try {
        await readLocalHead();
        const busy = await step();
        backoff = 250;
        if (!busy) await sleep(pollMs);
      } catch (err) {
        fail(err);
        // The store may have failed closed or lost its connection: start over from what the fleet says.
        await fleet?.close().catch(() => undefined);
        fleet = undefined;
        if (!stopped) await sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  })();

  return {
    status() {
      const known = Math.max(shipped, 0);
      const head = Math.max(localHead, 0);
      return {
        host,
        connected: fleet !== undefined && lastError === undefined,
        shipped: known,
        localHead: head,
        lag: Math.max(head - known, 0),
        synced: shipped >= 0 && localHead >= 0 && shipped >= localHead,
        ...(lastShippedAt ? { lastShippedAt } : {}),
        ...(lastError ? { lastError } : {}),
      };
    },
    async stop() {
      // Ship what the daemon wrote last (its SupervisorStopped) if the fleet is there, but never hold a shutdown long.
      const drainUntil = Date.now() + 1000;
      while (!stopped && lastError === undefined && fleet && shipped < localHead && Date.now() < drainUntil) await delay(20);
      stopped = true;
      clearInterval(headTimer);
      wake?.();
      // A database that stopped answering (no refusal, just silence) must not keep the daemon from exiting.
      await Promise.race([loop, delay(STOP_GRACE_MS)]);
      await Promise.race([fleet?.close().catch(() => undefined), delay(STOP_GRACE_MS)]);
    },
  };
}
