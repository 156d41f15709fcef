/**
 * Reading an attempt's log files as they are on disk (for `logs` without
 * -f, and the history before following): `<stream>.log.K … .log.1` (rotated,
 * oldest first) then `<stream>.log`. Every file is opened first and read only
 * up to the size it had then, so "the last n lines" of a log that grows (or
 * rotates) while we read is exact for that moment and the read ends; a reader
 * that chased the growing end printed ~1,000 lines for `-n 3` of a busy run.
 */
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { StreamTimes } from '../runtime/log-times.js';

// The CLI reads logs without a daemon through this module (it reaches runtime/ only past daemon/).
export { StreamTimes };

export type LogStream = 'stdout' | 'stderr';

const CHUNK = 64 * 1024;

export interface StreamReadOptions {
  /** Only the last n lines (after the `since` filter). */
  n?: number;
  /** Only lines read (by the shim) at or after this time, ms since the epoch. */
  since?: number;
  /** Look up each line's time in the shim's index (implied by `since`). */
  times?: boolean;
}

export interface TimedLine {
  line: string;
  /** When the shim read the line's first byte (ms); undefined when no index recorded it. */
  time: number | undefined;
}

/** Existing log files of one stream, oldest first. */
export async function logFilesOf(dir: string, stream: LogStream): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const base = `${stream}.log`;
  const rotated = names
    .map((n) => ({ n, i: n.startsWith(`${base}.`) ? Number(n.slice(base.length + 1)) : NaN }))
    .filter((r) => Number.isInteger(r.i) && r.i > 0)
    .sort((a, b) => b.i - a.i)
    .map((r) => join(dir, r.n));
  return names.includes(base) ? [...rotated, join(dir, base)] : rotated;
}

interface Snapshot {
  path: string;
  handle: FileHandle;
  ino: number;
  size: number;
}

/** Where the read of the current file (`<stream>.log`) ended: a follower goes on from exactly there. */
export interface ReadEnd {
  ino: number;
  size: number;
}

/**
 * Emit one stream's lines as they are now, awaiting `emit` (backpressure) and
 * stopping when `stopped()`; returns where the current file's read ended.
 */
export async function readStreamLines(
  dir: string,
  stream: LogStream,
  options: StreamReadOptions,
  emit: (line: TimedLine) => void | Promise<void>,
  stopped: () => boolean = () => false,
): Promise<ReadEnd | undefined> {
  // Open every file before reading any: a rotation meanwhile renames them, but our handles keep what we counted on.
  const files: Snapshot[] = [];
  try {
    for (const path of await logFilesOf(dir, stream)) {
      const handle = await open(path, 'r').catch(() => undefined);
      if (!handle) continue; // rotated past the last kept name just now
      const { ino, size } = await handle.stat();
      files.push({ path, handle, ino, size });
    }
    const times = options.times || options.since !== undefined ? new StreamTimes(dir, `${stream}.log`) : undefined;
    const current = files.at(-1)?.path === join(dir, `${stream}.log`) ? files.at(-1) : undefined;
    const end = current ? { ino: current.ino, size: current.size } : undefined;
    // The last n lines without a time filter are found from the end: `-n 3` of a 40 MB log reads a few KiB.
    const starts = options.n !== undefined && options.since === undefined ? await startsOfLast(files, options.n) : files.map(() => 0);
    const last: TimedLine[] | undefined = options.n === undefined ? undefined : [];
    for (const [i, file] of files.entries()) {
      if (stopped()) return end;
      if (starts[i]! >= file.size) continue;
      await eachLine(file, starts[i]!, stopped, async (line, offset) => {
        const time = times ? await times.timeOf(file.ino, offset) : undefined;
        if (options.since !== undefined && !(time !== undefined && time >= options.since)) return;
        if (!last) return emit({ line, time });
        last.push({ line, time });
        if (last.length > options.n!) last.shift();
      });
    }
    for (const line of last ?? []) {
      if (stopped()) return end;
      await emit(line);
    }
    return end;
  } finally {
    await Promise.all(files.map((f) => f.handle.close().catch(() => undefined)));
  }
}

/** How many lines readStreamLines would emit without `n`. */
export async function countStreamLines(dir: string, stream: LogStream, options: Omit<StreamReadOptions, 'n'>): Promise<number> {
  let count = 0;
  await readStreamLines(dir, stream, { ...options, n: undefined }, () => void count++);
  return count;
}

/** Split the file's first `size` bytes into lines (a last one without a newline included), with each line's byte offset. */
async function eachLine(
  file: Snapshot,
  from: number,
  stopped: () => boolean,
  onLine: (line: string, offset: number) => Promise<void>,
): Promise<void> {
  const buf = Buffer.allocUnsafe(CHUNK);
  let position = from;
  let start = from;
  let pending: Buffer[] = [];
  const decode = (parts: Buffer[]) => new StringDecoder('utf8').end(Buffer.concat(parts)).replace(/\r$/, '');
  while (position < file.size && !stopped()) {
    const { bytesRead } = await file.handle.read(buf, 0, Math.min(CHUNK, file.size - position), position);
    if (bytesRead === 0) break; // truncated under us: what is left is gone
    let from = 0;
    for (let nl = buf.indexOf(10, 0); nl !== -1 && nl < bytesRead; nl = buf.indexOf(10, nl + 1)) {
      const line = decode([...pending, buf.subarray(from, nl)]);
      pending = [];
      await onLine(line, start);
      start = position + nl + 1;
      from = nl + 1;
    }
    if (from < bytesRead) pending.push(Buffer.from(buf.subarray(from, bytesRead)));
    position += bytesRead;
  }
  if (pending.length > 0 && !stopped()) await onLine(decode(pending), start);
}

/** Per file, the offset to start reading from so that the last `n` lines of all files together are read (size = skip the file). */
async function startsOfLast(files: Snapshot[], n: number): Promise<number[]> {
  const starts = files.map((f) => f.size);
  let wanted = n;
  for (let i = files.length - 1; i >= 0 && wanted > 0; i--) {
    const { offset, lines } = await startOfLastLines(files[i]!, wanted);
    starts[i] = offset;
    wanted -= lines;
  }
  return starts;
}

/** Where the last `k` lines of the file begin, reading backwards; fewer lines when the file has fewer. */
async function startOfLastLines(file: Snapshot, k: number): Promise<{ offset: number; lines: number }> {
  if (file.size === 0) return { offset: 0, lines: 0 };
  const buf = Buffer.allocUnsafe(CHUNK);
  // A final newline ends the last line; it does not begin another.
  let end = file.size;
  const lastByte = Buffer.alloc(1);
  await file.handle.read(lastByte, 0, 1, file.size - 1);
  if (lastByte[0] === 10) end--;
  let found = 0;
  while (end > 0) {
    const from = Math.max(0, end - CHUNK);
    const { bytesRead } = await file.handle.read(buf, 0, end - from, from);
    for (let i = bytesRead - 1; i >= 0; i--) {
      if (buf[i] !== 10) continue;
      if (++found === k) return { offset: from + i + 1, lines: k };
    }
    end = from;
  }
  return { offset: 0, lines: found + 1 };
}
