/**
 * The time index the shim writes beside each log file (`native/rotate.c`):
 * `stdout.log.idx` for `stdout.log`, rotated with it as `stdout.log.N.idx`.
 * A 16-byte header (`RLTIMES1`, the log file's inode) then 16-byte records
 * (byte offset in the log, wall-clock ms), each written *before* the bytes it
 * times. A line's time is that of the last record at or before its first
 * byte: when the shim read it from the child. The header's inode pairs an
 * index with its log whatever names rotation gave both meanwhile.
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fdSlots } from './fd-slots.js';

const MAGIC = 'RLTIMES1';
const RECORD = 16;

export interface TimeIndex {
  ino: number;
  offsets: number[];
  times: number[];
}

/** Parse an index file's bytes; null when it is not one. A trailing partial record (a write in progress) is left out. */
export function parseTimeIndex(bytes: Buffer): TimeIndex | null {
  if (bytes.length < RECORD || bytes.toString('latin1', 0, 8) !== MAGIC) return null;
  const index: TimeIndex = { ino: Number(bytes.readBigUInt64LE(8)), offsets: [], times: [] };
  appendRecords(index, bytes.subarray(RECORD));
  return index;
}

function appendRecords(index: TimeIndex, bytes: Buffer): void {
  for (let at = 0; at + RECORD <= bytes.length; at += RECORD) {
    index.offsets.push(Number(bytes.readBigUInt64LE(at)));
    index.times.push(Number(bytes.readBigUInt64LE(at + 8)));
  }
}

/** The time (ms) of the byte at `offset`: the last record at or before it; undefined before the first record. */
export function timeAt(index: TimeIndex, offset: number): number | undefined {
  let lo = 0;
  let hi = index.offsets.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (index.offsets[mid]! <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? undefined : index.times[found];
}

/** Index files of one stream (`stdout.log.idx`, `stdout.log.N.idx`). */
async function indexFilesOf(dir: string, base: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(base) && n.endsWith('.idx')).map((n) => join(dir, n));
}

/** Bytes of `path` from `from` to its end, with its header; undefined when it cannot be read. */
async function readFrom(path: string, from: number): Promise<{ header: Buffer; rest: Buffer } | undefined> {
  return fdSlots.run(async () => {
    const handle = await open(path, 'r').catch(() => undefined);
    if (!handle) return undefined;
    try {
      const size = (await handle.stat()).size;
      const header = Buffer.alloc(Math.min(RECORD, size));
      await handle.read(header, 0, header.length, 0);
      const rest = Buffer.alloc(Math.max(0, size - from));
      if (rest.length > 0) await handle.read(rest, 0, rest.length, from);
      return { header, rest };
    } catch {
      return undefined;
    } finally {
      await handle.close().catch(() => undefined);
    }
  });
}

interface Loaded {
  index: TimeIndex;
  path: string;
  /** Bytes of the file parsed so far (whole records only). */
  consumed: number;
}

/**
 * Times of the lines of one stream's log files, looked up by the log's inode.
 * An index is read again (only its new records) when asked about an offset
 * past its last record, so a follower of a live log sees the records the
 * shim wrote before the bytes; a renamed index is found again by its header.
 */
export class StreamTimes {
  private readonly byIno = new Map<number, Loaded>();

  constructor(
    private readonly dir: string,
    /** `stdout.log` or `stderr.log`. */
    private readonly base: string,
  ) {}

  /** timeOf without I/O when the index read so far covers `offset`; null when it would have to read. */
  cachedTimeOf(ino: number, offset: number): number | undefined | null {
    const loaded = this.byIno.get(ino);
    if (!loaded || (loaded.index.offsets.at(-1) ?? -1) < offset) return null;
    return timeAt(loaded.index, offset);
  }

  /** The time (ms) the byte at `offset` of the log file with inode `ino` was read; undefined when nothing recorded it. */
  async timeOf(ino: number, offset: number): Promise<number | undefined> {
    let loaded = this.byIno.get(ino);
    if (!loaded || (loaded.index.offsets.at(-1) ?? -1) < offset) {
      if (!loaded || !(await this.extend(loaded))) await this.scan(ino);
      loaded = this.byIno.get(ino);
    }
    return loaded ? timeAt(loaded.index, offset) : undefined;
  }

  /** Read the records added since; false when the file at that path is no longer this index (rotated away). */
  private async extend(loaded: Loaded): Promise<boolean> {
    const read = await readFrom(loaded.path, loaded.consumed);
    const index = read ? parseTimeIndex(read.header) : null;
    if (!read || index?.ino !== loaded.index.ino) return false;
    const whole = read.rest.length - (read.rest.length % RECORD);
    appendRecords(loaded.index, read.rest.subarray(0, whole));
    loaded.consumed += whole;
    return true;
  }

  private async scan(ino: number): Promise<void> {
    for (const path of await indexFilesOf(this.dir, this.base)) {
      const read = await readFrom(path, 0);
      const index = read ? parseTimeIndex(read.rest) : null;
      if (!index) continue;
      const consumed = RECORD + index.offsets.length * RECORD;
      this.byIno.set(index.ino, { index, path, consumed });
      if (index.ino === ino) return;
    }
  }
}
