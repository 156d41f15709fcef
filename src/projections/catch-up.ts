/**
 * Snapshot + tail: the fast way to the current fold. Shared by the live
 * runner, the one-shot loadRunsState and replay's stateAt. A snapshot is
 * believed only after its seal and its event hash check out against the log
 * (snapshot-seal.ts); a record that does not decode is skipped and named in
 * `state.skipped`, so one bad record does not take every answer down.
 */
import type { EventEnvelope } from '../events/envelope.js';
import type { DamagedRecord, EventStore } from '../store/event-store.js';
import { applyEvent, initialRunsState, skipRecord, type RunsState } from './runs.js';
import { deserializeRunsState, PROJECTION_VERSION, serializeRunsState } from './snapshot.js';
import { sealSnapshot, whySealBroken, type SealedSnapshot } from './snapshot-seal.js';

export const DEFAULT_PROJECTION_NAME = 'runs';

/** How far to trust a stored snapshot: the seal key, and who hears about a discarded one. */
export interface SnapshotTrust {
  /** HMAC key of the seal (kept outside the ledger directory); without one, seals are plain SHA-256. */
  key?: Buffer;
  /** Told once why a snapshot was discarded (it is then rebuilt from the log). */
  onDiscard?: (message: string) => void;
}

export interface CaughtUp {
  state: RunsState;
  /** Position of the snapshot we started from (0: none usable). */
  snapshotPosition: number;
  /** Events folded on top of the snapshot. */
  folded: number;
  /** True when a stored snapshot was discarded as untrustworthy. */
  discarded: boolean;
}

/** The hash of the stored record at `position` (one read, no decoding), or undefined when there is none. */
export async function storedHashAt(store: EventStore, position: number): Promise<string | undefined> {
  for await (const [line] of store.scanStored({ from: position, pageSize: 1 })) {
    try {
      const rec = JSON.parse(line ?? '') as { position?: unknown; hash?: unknown };
      return rec.position === position && typeof rec.hash === 'string' ? rec.hash : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Why a snapshot at `position` sealed as `sealed` cannot be believed, or undefined. Cheapest checks first. */
async function whyUntrusted(store: EventStore, position: number, sealed: unknown, key: Buffer | undefined): Promise<string | undefined> {
  const head = await store.head();
  if (position > head.position) return `it covers position ${position}, past the head (${head.position})`;
  const broken = whySealBroken(sealed, position, key);
  if (broken) return broken;
  const logHash = await storedHashAt(store, position);
  if (logHash !== (sealed as SealedSnapshot).eventHash) return `the log's event at position ${position} is not the one it was taken at`;
  return undefined;
}

/**
 * The stored snapshot if it is usable: right version, not past `atMost`, and
 * trusted. Another projection version is a stale cache (rebuilt quietly); an
 * untrusted one is reported through `trust.onDiscard`, then rebuilt.
 */
export async function readUsableSnapshot(
  store: EventStore,
  name: string,
  atMost = Infinity,
  trust: SnapshotTrust = {},
): Promise<RunsState | undefined> {
  const snap = await store.readSnapshot<unknown>(name);
  if (!snap || snap.version !== PROJECTION_VERSION || !(snap.position > 0) || snap.position > atMost) return undefined;
  const why = await whyUntrusted(store, snap.position, snap.state, trust.key);
  if (why === undefined) {
    try {
      const state = deserializeRunsState(JSON.parse((snap.state as SealedSnapshot).body));
      if (state.position === snap.position) return state;
    } catch {
      // Falls through to the discard below.
    }
  }
  trust.onDiscard?.(
    `projection snapshot "${name}" at position ${snap.position} discarded: ${why ?? 'its body is not a runs state'}; rebuilt from the log`,
  );
  return undefined;
}

/** Where foldTail stops: at a position (replay) and/or before the first event `stop` rejects. */
export interface FoldLimit {
  until?: number;
  stop?: (e: EventEnvelope) => boolean;
}

/**
 * Fold the log from `state.position + 1`, a page at a time (no per-event
 * observable overhead), until the head or the limit. Records that do not
 * decode are skipped into `state.skipped`.
 */
export async function foldTail(store: EventStore, state: RunsState, limit: FoldLimit = {}): Promise<number> {
  let folded = 0;
  const damaged: DamagedRecord[] = [];
  const until = limit.until ?? Infinity;
  // The scan reports a page's damaged records before yielding the page, so they are merged back in position order.
  for await (const page of store.scan({ from: state.position + 1, onDamaged: (d) => damaged.push(d) })) {
    let d = 0;
    for (const e of page) {
      while (d < damaged.length && damaged[d]!.position < e.position) {
        if (damaged[d]!.position > until) return folded;
        skipRecord(state, damaged[d++]!);
      }
      // Breaking out of for-await closes the scan's iterator, so the rest is never read.
      if (e.position > until || limit.stop?.(e)) return folded;
      applyEvent(state, e);
      folded++;
    }
    for (; d < damaged.length; d++) {
      if (damaged[d]!.position > until) return folded;
      skipRecord(state, damaged[d]!);
    }
    damaged.length = 0;
  }
  return folded;
}

export async function catchUp(store: EventStore, name: string = DEFAULT_PROJECTION_NAME, trust: SnapshotTrust = {}): Promise<CaughtUp> {
  let discarded = false;
  const onDiscard = (message: string) => {
    discarded = true;
    trust.onDiscard?.(message);
  };
  const snapshot = await readUsableSnapshot(store, name, Infinity, { ...trust, onDiscard });
  const state = snapshot ?? initialRunsState();
  const snapshotPosition = state.position;
  const folded = await foldTail(store, state);
  return { state, snapshotPosition, folded, discarded };
}

/**
 * Seal and store the state as snapshot `name`. The state is serialized before
 * the first await, so a live fold that moves on meanwhile cannot tear it.
 * Nothing is written when the log has no readable record at its position.
 */
export async function writeRunsSnapshot(store: EventStore, name: string, state: RunsState, key?: Buffer): Promise<void> {
  const position = state.position;
  if (position === 0) return;
  const body = JSON.stringify(serializeRunsState(state));
  const eventHash = await storedHashAt(store, position);
  if (eventHash === undefined) return;
  await store.writeSnapshot(name, { position, version: PROJECTION_VERSION, state: sealSnapshot(position, eventHash, body, key) });
}
