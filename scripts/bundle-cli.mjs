#!/usr/bin/env node
// Bundles the CLI (dist/cli/main.js and everything it imports, lazily or not)
// into one CommonJS file, dist/cli-bundle/cli.cjs, with esbuild, then writes
// its V8 code cache by running `--help` through bin/runledger.cjs once.
// Why: CLI start-up is what people wait on. Node 20's ESM loader resolving and
// linking each file, and V8 compiling them, cost more than the code itself;
// one CommonJS file loaded from a code cache costs neither (ARCHITECTURE.md
// "CLI start-up"). Modules reached only through import() stay lazy: esbuild
// runs their top level on first import. The heavy packages stay external and
// load from node_modules only on the paths that need them.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli-bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['dist/cli/main.js'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: `${outdir}/cli.cjs`,
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
  // Modules find files beside them through import.meta.url (the daemon's entry, the shim, package.json);
  // cli.cjs sits one level below dist/ as their own files do, so its URL serves them all.
  define: { 'import.meta.url': '__runledgerModuleUrl' },
  banner: { js: "const __runledgerModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // No import() left in the bundle: bin/runledger.cjs compiles it with vm.Script from a code cache, and
  // on Node 20 a script from a code cache loses its dynamic-import callback. Built-ins and the
  // external packages are all loadable with require() (execa, ESM-only, since Node 20.19).
  supported: { 'dynamic-import': false },
  // Reading the source and loading its cache cost in proportion to its size: without whitespace it is
  // 30% smaller. Names stay, so an internal error's stack trace still says where it came from.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [lazyCommanderChildProcess()],
});

// The first run with no usable cache writes one (bin/runledger.cjs); `--help` builds every command.
const warm = spawnSync(process.execPath, ['--', `${root}bin/runledger.cjs`, '--help'], { stdio: 'ignore' });
if (warm.status !== 0) throw new Error(`warming the CLI's code cache failed: runledger --help exited ${warm.status}`);

/**
 * commander requires `child_process` at load, only for executable
 * subcommands (we have none), and that module pulls in dgram, net and the
 * whole child-process stack: require it on first use instead.
 */
function lazyCommanderChildProcess() {
  return {
    name: 'lazy-commander-child-process',
    setup(b) {
      b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
        args.importer.includes('node_modules/commander') ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
        contents: `let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require('node:${args.path}'))[k] });`,
        loader: 'js',
      }));
    },
  };
}
