/**
 * Reading an attempt's log files as they are on disk (for `logs` without
 * -f): `<stream>.log.K … .log.1` (rotated, oldest first) then `<stream>.log`.
 * Lines are counted first so that "the last n" needs no buffer of the whole log.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type LogStream = 'stdout' | 'stderr';

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

/** Lines in the files, a last line without a newline included. */
export async function countLines(files: readonly string[]): Promise<number> {
  let count = 0;
  for (const file of files) {
    let last = 10;
    try {
      for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count++;
        if (chunk.length > 0) last = chunk[chunk.length - 1]!;
      }
    } catch {
      continue; // rotated away meanwhile: its lines are in the next file
    }
    if (last !== 10) count++;
  }
  return count;
}

/** Emit every line after the first `skip`, awaiting `emit` (backpressure) and stopping when `stopped()`. */
export async function readLines(
  files: readonly string[],
  skip: number,
  emit: (line: string) => Promise<void>,
  stopped: () => boolean,
): Promise<void> {
  let index = 0;
  for (const file of files) {
    const input = createReadStream(file, { encoding: 'utf8' });
    input.on('error', () => undefined);
    const lines = createInterface({ input, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (stopped()) return;
        if (index++ >= skip) await emit(line);
      }
    } catch {
      // The file went away mid-read (rotation); continue with the next one.
    } finally {
      lines.close();
      input.destroy();
    }
  }
}
