#!/usr/bin/env node
// Bundles the CLI (dist/cli/main.js and everything it imports lazily) into
// dist/cli-bundle/ with esbuild: ESM with code splitting, so each command's
// dynamic import() stays a separate chunk loaded only when that command runs.
// Why: CLI start-up is what people wait on, and resolving and linking ~60 small
// ESM files plus CommonJS commander cost more than the code itself (see
// ARCHITECTURE.md "CLI start-up"). The heavy packages stay external: they load
// only on the embedded-ledger path, from node_modules, as before.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli-bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/cli/main.js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  // Native or large packages that only the embedded ledger path needs: loaded from node_modules when used.
  external: [
    'classic-level',
    'rxjs',
    'execa',
    '@sinclair/typebox',
    'yaml',
    'pg',
    'prom-client',
    '@modelcontextprotocol/sdk',
    'zod',
    'playwright-core',
  ],
  // Inlined CommonJS (commander) calls require() for Node's built-ins; ESM has none, so give each chunk one.
  banner: { js: "import { createRequire as __runledgerRequire } from 'node:module'; const require = __runledgerRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [builtinsViaRequire()],
});

/**
 * Node's built-ins through `require`, not `import`: importing one as ESM
 * builds its ESM facade, which reads every export, and reading node:fs's
 * `ReadStream` getter alone loads the whole streams stack. Through require,
 * esbuild's interop copies exports as lazy getters. commander's
 * `child_process` (only for executable subcommands, which we have none of) is
 * required on first use for the same reason. Start-up: ARCHITECTURE.md.
 */
function builtinsViaRequire() {
  return {
    name: 'builtins-via-require',
    setup(b) {
      b.onResolve({ filter: /^node:|^(child_process|events|fs|path|process)$/ }, (args) => {
        // Inside a shim, the real module; an import() stays native (through a shim it would have only a default export).
        if (args.namespace !== 'file' || args.kind === 'dynamic-import') return { path: args.path, external: true };
        const lazy = args.importer.includes('node_modules/commander') && /child_process$/.test(args.path);
        return { path: args.path.replace(/^node:/, ''), namespace: lazy ? 'lazy-builtin' : 'builtin' };
      });
      b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
        contents: `module.exports = require('node:${args.path}');`,
        loader: 'js',
      }));
      b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
        contents: `let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require('node:${args.path}'))[k] });`,
        loader: 'js',
      }));
    },
  };
}
