/**
 * Where the exit-status shim lives. The binary is built into
 * `native/build/` at the package root by scripts/build-shim.mjs; this file
 * sits two levels below that root both as src/runtime/*.ts (vitest) and as
 * dist/runtime/*.js (published), so one relative path serves both.
 */
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RunledgerError } from '../errors.js';

/** Absolute path of the runledger-shim binary (it may not be built yet). */
export function shimPath(): string {
  return fileURLToPath(new URL('../../native/build/runledger-shim', import.meta.url));
}

/** The shim's path, or RUNTIME_UNAVAILABLE saying how to build it. */
export function requireShim(): string {
  const path = shimPath();
  try {
    accessSync(path, constants.X_OK);
  } catch (cause) {
    throw new RunledgerError(
      'RUNTIME_UNAVAILABLE',
      `the exit-status shim is not built (${path}); install a C compiler (e.g. gcc) and run \`node scripts/build-shim.mjs\``,
      { path },
      { cause },
    );
  }
  return path;
}
