#!/usr/bin/env -S node --
'use strict';
// Thin launcher. The CLI is one CommonJS file, dist/cli-bundle/cli.cjs, built
// by `npm run build` (scripts/bundle-cli.mjs); it is compiled here from V8's
// code cache beside it, because parsing and compiling it is most of what a
// command would otherwise spend before its first request (ARCHITECTURE.md
// "CLI start-up"). A missing or rejected cache (another Node or V8 version)
// costs only speed: the source is compiled as usual and a new cache is written
// after the command, if the directory lets us.
// This file is CommonJS because an ESM entry starts Node's ESM loader first.
// `--` in the shebang ends node's own options: node 20+ scans every later
// argument for its `--env-file` (and exits 9 when the file is missing) unless
// a `--` precedes it, which would swallow `runledger run --env-file PATH`.
const { accessSync, constants, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const file = join(__dirname, '..', 'dist', 'cli-bundle', 'cli.cjs');
const cacheFile = `${file}.cache`;
const { main, cache } = load();

main(process.argv).then((code) => {
  process.exitCode = code;
  cache?.();
});

/** The bundle's exports, and (when the cache was missing or rejected) a function that writes a new one. */
function load() {
  const source = readFileSync(file, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require('node:module').createRequire(file), module, file, dirname(file));
  const stale = cachedData === undefined || script.cachedDataRejected === true;
  return { main: module.exports.main, cache: stale ? () => writeCache(script) : undefined };
}

/** Best effort, and atomic: a concurrent command reads the old cache or the new one, never half of one. */
function writeCache(script) {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    // Serializing costs milliseconds: not for a directory we cannot write (a system-wide install).
    accessSync(dirname(file), constants.W_OK);
    writeFileSync(tmp, script.createCachedData(), { mode: 0o644 });
    renameSync(tmp, cacheFile);
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}
