/**
 * bin/runledger.cjs compiles the CLI bundle from V8's code cache beside it
 * (start-up: ARCHITECTURE.md). A cache that is missing or that V8 rejects
 * (another Node version, a damaged file) costs only speed: the command works
 * and leaves a good cache behind; a good cache is used as it is. Run on a copy
 * of the launcher and bundles, so the suite's own caches are never touched.
 * The cold file (the embedded ledger and the like) is compiled, and its cache
 * written, only by a command that needs it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rl-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'bin'));
mkdirSync(join(dir, 'dist', 'cli-bundle'), { recursive: true });
copyFileSync(join(ROOT, 'bin', 'runledger.cjs'), join(dir, 'bin', 'runledger.cjs'));
for (const f of ['cli.cjs', 'cli-cold.cjs']) copyFileSync(join(ROOT, 'dist', 'cli-bundle', f), join(dir, 'dist', 'cli-bundle', f));
// The cold file's packages (LevelDB) come from the repository's node_modules, as an install's would.
symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '9.8.7' }));
const cache = join(dir, 'dist', 'cli-bundle', 'cli.cjs.cache');
const cli = (...args: string[]) =>
  execFileSync(process.execPath, ['--', join(dir, 'bin', 'runledger.cjs'), ...args], { encoding: 'utf8' }).trim();
const version = () => cli('--version');

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

it('the cold file is compiled, and its cache written, only by a command that needs it', () => {
  const coldCache = join(dir, 'dist', 'cli-bundle', 'cli-cold.cjs.cache');
  expect(version()).toBe('9.8.7');
  expect(existsSync(coldCache)).toBe(false);
  const mtime = statSync(cache).mtimeMs;
  const home = join(dir, 'home');
  // No daemon: ps reads the ledger itself, through the cold file.
  expect(cli('--home', home, 'ps', '--all')).toBe('no runs');
  expect(existsSync(coldCache)).toBe(true);
  expect(statSync(cache).mtimeMs).toBe(mtime);
});
