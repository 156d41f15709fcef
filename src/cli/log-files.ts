/**
 * `logs` without a daemon: read the chosen attempts' log files directly
 * (rotated files first, as the daemon does, each up to its size when we
 * opened it), the last n lines, then (with -f) poll the latest attempt's
 * current file for growth, from exactly where that read ended, while its
 * process lives.
 */
import { open, stat } from 'node:fs/promises';
import type { LogLine } from '../daemon/api.js';
import { readStreamLines, StreamTimes, type LogStream, type ReadEnd } from '../daemon/log-files.js';
import { logLineOf, type LogsShape } from '../daemon/log-query.js';
import type { LogsQuery } from './backend.js';

const POLL_MS = 200;

export interface FollowControl {
  /** Is the writer still alive? Following ends (after a last read) once it is not. */
  alive(): boolean;
  signal?: AbortSignal;
}

export interface AttemptLogs {
  attempt: number;
  dir: string;
}

export async function readLogs(
  attempts: AttemptLogs[],
  query: LogsQuery,
  onLine: (l: LogLine) => void,
  control: FollowControl,
): Promise<void> {
  const streams: LogStream[] = query.stream === 'both' ? ['stdout', 'stderr'] : [query.stream];
  const shape = shapeOf(query);
  const stopped = () => control.signal?.aborted === true;
  const ends = new Map<LogStream, ReadEnd | undefined>();
  for (const { attempt, dir } of attempts) {
    for (const stream of streams) {
      const options = { ...shape.read, ...(query.n !== undefined ? { n: query.n } : {}) };
      const end = await readStreamLines(dir, stream, options, (l) => onLine(logLineOf(stream, l.line, l.time, attempt, shape)), stopped);
      ends.set(stream, end);
    }
  }
  const latest = attempts.at(-1);
  if (query.follow && latest) await follow(latest, streams, ends, shape, onLine, control);
}

function shapeOf(query: LogsQuery): LogsShape {
  const since = query.since === undefined ? undefined : Date.parse(query.since);
  return {
    ...(query.attempt !== undefined ? { attempt: query.attempt } : {}),
    timestamps: query.timestamps === true,
    read: { times: query.timestamps === true || since !== undefined, ...(since !== undefined ? { since } : {}) },
  };
}

async function follow(
  { attempt, dir }: AttemptLogs,
  streams: LogStream[],
  ends: Map<LogStream, ReadEnd | undefined>,
  shape: LogsShape,
  onLine: (l: LogLine) => void,
  control: FollowControl,
): Promise<void> {
  const partial = new Map<LogStream, { bytes: Buffer; start: number }>();
  const times = { stdout: new StreamTimes(dir, 'stdout.log'), stderr: new StreamTimes(dir, 'stderr.log') };
  const emit = async (stream: LogStream, ino: number, start: number, bytes: Buffer) => {
    const time = shape.read.times ? await times[stream].timeOf(ino, start) : undefined;
    if (shape.read.since !== undefined && !(time !== undefined && time >= shape.read.since)) return;
    onLine(logLineOf(stream, bytes.toString('utf8').replace(/\r$/, ''), time, attempt, shape));
  };
  for (;;) {
    const stillAlive = control.alive();
    for (const stream of streams) {
      const path = `${dir}/${stream}.log`;
      const now = await stat(path).catch(() => undefined);
      if (!now) continue;
      let from = ends.get(stream);
      // Rotated: the new file starts over (what the old one got after our last look is a known gap).
      if (!from || from.ino !== now.ino || now.size < from.size) from = { ino: now.ino, size: 0 };
      if (now.size === from.size) continue;
      const chunk = await readRange(path, from.size, now.size);
      const carried = partial.get(stream);
      const bytes = carried && from.size > 0 ? Buffer.concat([carried.bytes, chunk]) : chunk;
      let start = carried && from.size > 0 ? carried.start : from.size;
      let cut = 0;
      for (let nl = bytes.indexOf(10); nl !== -1; nl = bytes.indexOf(10, nl + 1)) {
        await emit(stream, now.ino, start, bytes.subarray(cut, nl));
        start += nl + 1 - cut;
        cut = nl + 1;
      }
      partial.set(stream, { bytes: Buffer.from(bytes.subarray(cut)), start });
      ends.set(stream, { ino: now.ino, size: from.size + chunk.length });
    }
    if (!stillAlive || control.signal?.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  for (const [stream, rest] of partial) if (rest.bytes.length > 0) await emit(stream, ends.get(stream)?.ino ?? -1, rest.start, rest.bytes);
}

async function readRange(path: string, from: number, to: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
