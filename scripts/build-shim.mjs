#!/usr/bin/env node
// Builds native/build/runledger-shim with the machine's C compiler.
// During postinstall (--quiet) a missing compiler is not fatal: the runtime
// then throws RUNTIME_UNAVAILABLE explaining how to build it later.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = ['shim.c', 'records.c', 'records.h', 'rotate.c', 'rotate.h'].map((f) => join(root, 'native', f));
const output = join(root, 'native', 'build', 'runledger-shim');
const quiet = process.argv.includes('--quiet');
const force = process.argv.includes('--force');

function isUpToDate() {
  if (force || !existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return sources.every((s) => statSync(s).mtimeMs <= built);
}

function findCompiler() {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
    try {
      execFileSync(cc, ['--version'], { stdio: 'ignore' });
      return cc;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

function build() {
  if (isUpToDate()) {
    if (!quiet) console.log(`runledger-shim is up to date (${output})`);
    return 0;
  }
  const cc = findCompiler();
  if (!cc) {
    console.error(
      'runledger: no C compiler found (tried $CC, cc, gcc, clang); the process runtime needs native/build/runledger-shim.\n' +
        'Install one (e.g. `apt-get install gcc` or `xcode-select --install`) and run `node scripts/build-shim.mjs`.',
    );
    return quiet ? 0 : 1;
  }
  mkdirSync(dirname(output), { recursive: true });
  const cfiles = sources.filter((s) => s.endsWith('.c'));
  try {
    execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-o', output, ...cfiles], { stdio: 'inherit' });
  } catch {
    console.error(`runledger: compiling the shim with ${cc} failed (see above); the process runtime stays unavailable until it builds.`);
    return quiet ? 0 : 1;
  }
  if (!quiet) console.log(`built ${output} with ${cc}`);
  return 0;
}

process.exitCode = build();
