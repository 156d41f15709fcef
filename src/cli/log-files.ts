/**
 * `logs` without a daemon: read an attempt's log files directly (rotated
 * files first, as the daemon does), the last n lines, then (with -f) poll
 * the current file for growth while the process lives.
 */
import { open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LogLine } from '../daemon/api.js';
import { countLines, logFilesOf, readLines } from '../daemon/log-files.js';
import type { LogsQuery } from './backend.js';

const POLL_MS = 200;

type Stream = LogLine['stream'];

export interface FollowControl {
  /** Is the writer still alive? Following ends (after a last read) once it is not. */
  alive(): boolean;
  signal?: AbortSignal;
}

export async function readLogs(
  files: { stdout: string; stderr: string },
  query: LogsQuery,
  onLine: (l: LogLine) => void,
  control: FollowControl,
): Promise<void> {
  const streams: Stream[] = query.stream === 'both' ? ['stdout', 'stderr'] : [query.stream];
  const offsets = new Map<Stream, number>();
  for (const stream of streams) {
    // Note the size first: lines written while we read are picked up by the follow loop, maybe twice, never lost.
    offsets.set(stream, (await stat(files[stream]).catch(() => undefined))?.size ?? 0);
    const all = await logFilesOf(dirname(files[stream]), stream);
    const skip = query.n === undefined ? 0 : Math.max(0, (await countLines(all)) - query.n);
    await readLines(
      all,
      skip,
      async (line) => onLine({ stream, line }),
      () => control.signal?.aborted === true,
    );
  }
  if (query.follow) await follow(files, streams, offsets, onLine, control);
}

async function follow(
  files: { stdout: string; stderr: string },
  streams: Stream[],
  offsets: Map<Stream, number>,
  onLine: (l: LogLine) => void,
  control: FollowControl,
): Promise<void> {
  const partial = new Map<Stream, string>();
  for (;;) {
    const stillAlive = control.alive();
    for (const stream of streams) {
      const size = (await stat(files[stream]).catch(() => undefined))?.size ?? 0;
      let from = offsets.get(stream) ?? 0;
      if (size < from) from = 0; // rotated: the new file starts over
      if (size === from) continue;
      const text = (partial.get(stream) ?? '') + (await readRange(files[stream], from, size));
      offsets.set(stream, size);
      const parts = text.split('\n');
      partial.set(stream, parts.pop() ?? '');
      for (const line of parts) onLine({ stream, line });
    }
    if (!stillAlive || control.signal?.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  for (const [stream, rest] of partial) if (rest) onLine({ stream, line: rest });
}

async function readRange(path: string, from: number, to: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
