/**
 * bin/runledger.cjs compiles the CLI bundle from V8's code cache beside it
 * (start-up: ARCHITECTURE.md). A cache that is missing or that V8 rejects
 * (another Node version, a damaged file) costs only speed: the command works
 * and leaves a good cache behind; a good cache is used as it is. Run on a copy
 * of the launcher and bundle, so the suite's own cache is never touched.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rl-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'bin'));
mkdirSync(join(dir, 'dist', 'cli-bundle'), { recursive: true });
copyFileSync(join(ROOT, 'bin', 'runledger.cjs'), join(dir, 'bin', 'runledger.cjs'));
copyFileSync(join(ROOT, 'dist', 'cli-bundle', 'cli.cjs'), join(dir, 'dist', 'cli-bundle', 'cli.cjs'));
writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '9.8.7' }));
const cache = join(dir, 'dist', 'cli-bundle', 'cli.cjs.cache');
const version = () => execFileSync(process.execPath, ['--', join(dir, 'bin', 'runledger.cjs'), '--version'], { encoding: 'utf8' }).trim();

it('writes the cache when there is none, then uses it as it is', () => {
  expect(existsSync(cache)).toBe(false);
  expect(version()).toBe('9.8.7');
  expect(existsSync(cache)).toBe(true);
  const written = readFileSync(cache);
  expect(written.length).toBeGreaterThan(1000);
  const mtime = statSync(cache).mtimeMs;
  expect(version()).toBe('9.8.7');
  // Accepted: V8 took it, so the launcher had nothing to rewrite.
  expect(statSync(cache).mtimeMs).toBe(mtime);
  expect(readFileSync(cache).equals(written)).toBe(true);
});

it('a cache V8 rejects is replaced, and the command still works', () => {
  writeFileSync(cache, Buffer.alloc(4096, 7));
  expect(version()).toBe('9.8.7');
  const replaced = readFileSync(cache);
  expect(replaced.equals(Buffer.alloc(4096, 7))).toBe(false);
  expect(replaced.length).toBeGreaterThan(1000);
});
