/** Reading an attempt's logs as they are on disk: exact last-n lines, across rotated files, with times and since. */
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countStreamLines, logFilesOf, readStreamLines, type TimedLine } from '../../src/daemon/log-files.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function dirWith(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rl-logfiles-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function read(dir: string, options: Parameters<typeof readStreamLines>[2] = {}): Promise<TimedLine[]> {
  const out: TimedLine[] = [];
  await readStreamLines(dir, 'stdout', options, (l) => void out.push(l));
  return out;
}
const lines = async (dir: string, options: Parameters<typeof readStreamLines>[2] = {}) => (await read(dir, options)).map((l) => l.line);

function index(ino: number, records: [number, number][]): Buffer {
  const b = Buffer.alloc(16 + records.length * 16);
  b.write('RLTIMES1', 0, 'latin1');
  b.writeBigUInt64LE(BigInt(ino), 8);
  records.forEach(([o, t], i) => (b.writeBigUInt64LE(BigInt(o), 16 + i * 16), b.writeBigUInt64LE(BigInt(t), 24 + i * 16)));
  return b;
}

describe('readStreamLines', () => {
  it('reads rotated files oldest first, then the current one', async () => {
    const dir = dirWith({ 'stdout.log.2': 'a\nb\n', 'stdout.log.1': 'c\n', 'stdout.log': 'd\ne', 'stdout.log.idx': index(1, []) });
    expect(await logFilesOf(dir, 'stdout')).toEqual(['stdout.log.2', 'stdout.log.1', 'stdout.log'].map((n) => join(dir, n)));
    expect(await lines(dir)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await countStreamLines(dir, 'stdout', {})).toBe(5);
  });

  it('the last n lines, found from the end, across files and with or without a final newline', async () => {
    const dir = dirWith({ 'stdout.log.1': 'a\nb\nc\n', 'stdout.log': 'd\ne\n' });
    expect(await lines(dir, { n: 1 })).toEqual(['e']);
    expect(await lines(dir, { n: 3 })).toEqual(['c', 'd', 'e']);
    expect(await lines(dir, { n: 99 })).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await lines(dir, { n: 0 })).toEqual([]);
    appendFileSync(join(dir, 'stdout.log'), 'partial');
    expect(await lines(dir, { n: 2 })).toEqual(['e', 'partial']);
  });

  it('a long log: the last lines are exact whatever the chunking', async () => {
    const all = Array.from({ length: 30_000 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}`);
    const dir = dirWith({ 'stdout.log': all.join('\n') + '\n' });
    expect(await lines(dir, { n: 3 })).toEqual(all.slice(-3));
    expect(await lines(dir)).toEqual(all);
  });

  it('times come from the index by inode; since keeps lines read at or after it', async () => {
    const dir = dirWith({ 'stdout.log': 'one\ntwo\nthree\n' });
    const ino = statSync(join(dir, 'stdout.log')).ino;
    writeFileSync(
      join(dir, 'stdout.log.idx'),
      index(ino, [
        [0, 1000],
        [4, 2000],
        [8, 3000],
      ]),
    );
    expect((await read(dir, { times: true })).map((l) => l.time)).toEqual([1000, 2000, 3000]);
    expect(await lines(dir, { since: 2000 })).toEqual(['two', 'three']);
    expect(await lines(dir, { since: 2000, n: 1 })).toEqual(['three']);
  });

  it('no index (or another file’s): no time, and since keeps nothing rather than guess', async () => {
    const dir = dirWith({ 'stdout.log': 'one\n', 'stdout.log.idx': index(123456789, [[0, 1000]]) });
    expect((await read(dir, { times: true }))[0]).toEqual({ line: 'one', time: undefined });
    expect(await lines(dir, { since: 0 })).toEqual([]);
  });
});
