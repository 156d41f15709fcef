/**
 * The shim's time index (native/rotate.c) and its reader: parsing, lookup,
 * and the real shim writing one beside each log file, rotated with it.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTimeIndex, StreamTimes, timeAt } from '../../src/runtime/log-times.js';
import { shimPath } from '../../src/runtime/shim-path.js';
import { makeStateDir, removeDir } from './helpers.js';

const writer = resolve(import.meta.dirname, '../../fixtures/write-in-parts.mjs');

function indexBytes(ino: number, records: [number, number][], extra = 0): Buffer {
  const b = Buffer.alloc(16 + records.length * 16 + extra);
  b.write('RLTIMES1', 0, 'latin1');
  b.writeBigUInt64LE(BigInt(ino), 8);
  records.forEach(([offset, time], i) => {
    b.writeBigUInt64LE(BigInt(offset), 16 + i * 16);
    b.writeBigUInt64LE(BigInt(time), 24 + i * 16);
  });
  return b;
}

describe('parseTimeIndex / timeAt', () => {
  it('reads the header and records, leaving out a record still being written', () => {
    const index = parseTimeIndex(
      indexBytes(
        7,
        [
          [0, 1000],
          [10, 2000],
        ],
        5,
      ),
    )!;
    expect(index).toEqual({ ino: 7, offsets: [0, 10], times: [1000, 2000] });
  });

  it('is not an index without the magic', () => {
    expect(parseTimeIndex(Buffer.from('hello world, not an index'))).toBe(null);
    expect(parseTimeIndex(Buffer.alloc(4))).toBe(null);
  });

  it('a byte gets the time of the last record at or before it', () => {
    const index = parseTimeIndex(
      indexBytes(1, [
        [5, 1000],
        [10, 2000],
        [30, 3000],
      ]),
    )!;
    expect(timeAt(index, 4)).toBe(undefined);
    expect(timeAt(index, 5)).toBe(1000);
    expect(timeAt(index, 9)).toBe(1000);
    expect(timeAt(index, 10)).toBe(2000);
    expect(timeAt(index, 1_000_000)).toBe(3000);
  });
});

describe('the shim writes the index beside each log file', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));

  it('one record per read, each before its bytes, rotated with its log and found again by inode', async () => {
    const dir = makeStateDir();
    dirs.push(dir);
    const before = Date.now();
    // 1,024-byte files: each 600-byte part forces a rotation, so three parts leave stdout.log, .1 and .2.
    const parts = ['a'.repeat(599) + '\\n', 'b'.repeat(599) + '\\n', 'c'.repeat(599) + '\\n'];
    const args = ['--dir', dir, '--max-bytes', '1024', '--keep', '3', '--', process.execPath, writer, join(dir, 'stdout.log'), ...parts];
    const child = spawn(shimPath(), args, { stdio: 'ignore' });
    await new Promise((done) => child.once('exit', done));
    const after = Date.now();
    const names = readdirSync(dir).filter((f) => f.endsWith('.idx'));
    expect(names.sort()).toEqual(['stderr.log.idx', 'stdout.log.1.idx', 'stdout.log.2.idx', 'stdout.log.idx']);
    const times = new StreamTimes(dir, 'stdout.log');
    for (const log of ['stdout.log', 'stdout.log.1', 'stdout.log.2']) {
      const ino = statSync(join(dir, log)).ino;
      const index = parseTimeIndex(readFileSync(join(dir, `${log}.idx`)))!;
      expect(index.ino).toBe(ino);
      expect(index.offsets[0]).toBe(0);
      const t = (await times.timeOf(ino, 0))!;
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(after);
    }
    // The parts were written one after another: their times never go backwards across the files.
    const t1 = await times.timeOf(statSync(join(dir, 'stdout.log.1')).ino, 0);
    const t0 = await times.timeOf(statSync(join(dir, 'stdout.log')).ino, 0);
    expect(t0!).toBeGreaterThanOrEqual(t1!);
  });
});
