/**
 * The shim's log rotation (native/rotate.c): lines stay whole across
 * rotation up to the line cap (issue 11, case 10: `logs` cut a long line at
 * rotation boundaries), and the files stay bounded.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shimPath } from '../../src/runtime/shim-path.js';
import { makeStateDir, removeDir } from './helpers.js';

const LINE_CAP = 65536;
const writer = resolve(import.meta.dirname, '../../fixtures/write-in-parts.mjs');

function runShim(dir: string, maxBytes: number, keep: number, parts: string[]): Promise<number | null> {
  const args = [
    '--dir',
    dir,
    '--max-bytes',
    String(maxBytes),
    '--keep',
    String(keep),
    '--',
    process.execPath,
    writer,
    join(dir, 'stdout.log'),
    ...parts,
  ];
  const child = spawn(shimPath(), args, { stdio: 'ignore' });
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

/** stdout.log.K .. stdout.log.1, stdout.log: oldest first. */
function files(dir: string): string[] {
  const names = readdirSync(dir).filter((f) => f.startsWith('stdout.log') && !f.endsWith('.idx'));
  const index = (f: string): number => (f === 'stdout.log' ? 0 : Number(f.split('.').at(-1)));
  return names.sort((a, b) => index(b) - index(a)).map((f) => readFileSync(join(dir, f), 'utf8'));
}

describe('log rotation keeps lines whole', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));
  const newDir = (): string => {
    const d = makeStateDir();
    dirs.push(d);
    return d;
  };

  it('a line that arrives in two parts across the size cap is finished in its file, not split', async () => {
    const dir = newDir();
    const short = Array.from({ length: 8 }, (_, i) => `short-${i}`.padEnd(99, '.')).join('\\n') + '\\n'; // 800 bytes
    const long = 'L'.repeat(400);
    expect(await runShim(dir, 1000, 3, [short, long.slice(0, 150), `${long.slice(150)}\\n`, 'after\\n'])).toBe(0);
    const texts = files(dir);
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) expect(t.endsWith('\n')).toBe(true);
    expect(texts.some((t) => t.split('\n').includes(long))).toBe(true);
    expect(texts.at(-1)).toBe('after\n');
    expect(texts.join('')).toBe(short.replaceAll('\\n', '\n') + `${long}\nafter\n`);
  });

  it('a line longer than the line cap is split at the cap, and files stay under max + cap', async () => {
    const dir = newDir();
    const huge = 'H'.repeat(LINE_CAP + 5000);
    expect(await runShim(dir, 1000, 5, ['head\\n', huge.slice(0, 500), `${huge.slice(500)}\\n`, 'tail\\n'])).toBe(0);
    const texts = files(dir);
    for (const t of texts) expect(Buffer.byteLength(t)).toBeLessThanOrEqual(1000 + LINE_CAP);
    expect(texts.join('')).toBe(`head\n${huge}\ntail\n`);
    expect(texts.some((t) => t.includes('H'.repeat(LINE_CAP)))).toBe(true);
  });
});
