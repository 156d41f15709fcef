#!/usr/bin/env -S node --
'use strict';
// Thin launcher. The CLI is two CommonJS files built by `npm run build`
// (scripts/bundle-cli.mjs): dist/cli-bundle/cli.cjs, and cli-cold.cjs, which
// it requires only for the embedded ledger, the fleet, MCP and the like. Each
// is compiled here from V8's code cache beside it, because parsing and
// compiling them is most of what a command would otherwise spend before its
// first request (ARCHITECTURE.md "CLI start-up"). A missing or rejected cache
// (another Node or V8 version, other V8 flags) costs only speed: the source is
// compiled as usual and a new cache is written after the command, if the
// directory lets us.
// This file is CommonJS because an ESM entry starts Node's ESM loader first.
// `--` in the shebang ends node's own options: node 20+ scans every later
// argument for its `--env-file` (and exits 9 when the file is missing) unless
// a `--` precedes it, which would swallow `runledger run --env-file PATH`.
const { accessSync, constants, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const dir = join(__dirname, '..', 'dist', 'cli-bundle');
const COLD = './cli-cold.cjs';
/** Scripts compiled without a usable cache: their caches are written once the command is done. */
const stale = [];
let cold;

const { main } = compile(join(dir, 'cli.cjs'), (id) => (id === COLD ? (cold ??= compile(join(dir, 'cli-cold.cjs'))) : undefined));

main(process.argv).then((code) => {
  process.exitCode = code;
  for (const [file, script] of stale) writeCache(file, script);
});

/** Run one bundle as a CommonJS module; `own` answers the requires it handles itself. */
function compile(file, own = () => undefined) {
  const source = readFileSync(file, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  if (cachedData === undefined || script.cachedDataRejected === true) stale.push([file, script]);
  const required = createRequire(file);
  const require = Object.assign((id) => own(id) ?? required(id), required);
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, file, dirname(file));
  return module.exports;
}

/** Best effort, and atomic: a concurrent command reads the old cache or the new one, never half of one. */
function writeCache(file, script) {
  const tmp = `${file}.cache.${process.pid}.tmp`;
  try {
    // Serializing costs milliseconds: not for a directory we cannot write (a system-wide install).
    accessSync(dirname(file), constants.W_OK);
    writeFileSync(tmp, script.createCachedData(), { mode: 0o644 });
    renameSync(tmp, `${file}.cache`);
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}
