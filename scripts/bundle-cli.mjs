#!/usr/bin/env node
// Bundles the CLI (dist/cli/main.js and everything it imports, lazily or not)
// into two CommonJS files with esbuild, then writes their V8 code caches by
// running two commands through bin/runledger.cjs.
//   dist/cli-bundle/cli.cjs       what the daemon's clients need: every command that talks to a daemon
//   dist/cli-bundle/cli-cold.cjs  the modules in COLD below (and what only they import): the embedded
//                                 ledger, the fleet, MCP, verify/export/import/salvage, stack files
// Why: CLI start-up is what people wait on. Node 20's ESM loader resolving and
// linking each file, and V8 compiling them, cost more than the code itself;
// a CommonJS file loaded from a code cache costs neither, and the less of it
// there is the faster it reads and deserializes (ARCHITECTURE.md "CLI
// start-up"). Modules reached only through import() stay lazy: esbuild runs
// their top level on first use. The heavy packages stay external and load from
// node_modules only on the paths that need them.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli-bundle`;
const COLD_FILE = './cli-cold.cjs';
/** Targets of the CLI's import()s that a command talking to a daemon never loads. */
const COLD = [
  'dist/cli/backend-ledger.js',
  'dist/cli/backend-fleet.js',
  'dist/cli/commands/remote.js',
  'dist/cli/commands/fleet.js',
  'dist/cli/commands/verify.js',
  'dist/cli/commands/export.js',
  'dist/cli/commands/import.js',
  'dist/cli/commands/salvage.js',
  'dist/daemon/foreground.js',
  'dist/mcp/server.js',
  'dist/stacks/file/parse.js',
  'dist/stacks/file/find.js',
  'dist/stacks/file/to-plan.js',
  'dist/stacks/file/schema.js',
];

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
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
  // the bundles sit one level below dist/ as their own files do, so their URL serves them all.
  define: { 'import.meta.url': '__runledgerModuleUrl' },
  banner: { js: "const __runledgerModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // No import() left in a bundle: bin/runledger.cjs compiles them with vm.Script from a code cache, and
  // on Node 20 a script from a code cache loses its dynamic-import callback. Built-ins and the
  // external packages are all loadable with require() (execa, ESM-only, since Node 20.19).
  supported: { 'dynamic-import': false },
  // Reading the source and loading its cache cost in proportion to its size: without whitespace it is
  // 30% smaller. Names stay, so an internal error's stack trace still says where it came from.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
};

rmSync(outdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['dist/cli/main.js'],
  outfile: `${outdir}/cli.cjs`,
  plugins: [lazyCommanderChildProcess(), coldImports()],
});
// The cold file: each COLD module behind a getter, so loading the file initializes none of them.
await build({
  ...common,
  stdin: {
    contents: `module.exports = {\n${COLD.map((m) => `  get ${JSON.stringify(m)}() { return require(${JSON.stringify(`./${m}`)}); },`).join('\n')}\n};`,
    resolveDir: root,
    sourcefile: 'cli-cold-entry.js',
    loader: 'js',
  },
  outfile: `${outdir}/cli-cold.cjs`,
  plugins: [lazyCommanderChildProcess()],
});

// The first run with no usable cache writes one (bin/runledger.cjs): `--help` builds every command,
// `ps` in an empty home without a daemon loads the embedded ledger from the cold file.
const home = mkdtempSync(join(tmpdir(), 'rl-build-'));
try {
  for (const args of [['--help'], ['--home', home, 'ps', '--all']]) {
    const warm = spawnSync(process.execPath, ['--', `${root}bin/runledger.cjs`, ...args], { stdio: 'ignore' });
    if (warm.status !== 0) throw new Error(`warming the CLI's code caches failed: runledger ${args.join(' ')} exited ${warm.status}`);
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}

/**
 * import() of a COLD module: its exports, from the cold file (which
 * bin/runledger.cjs loads on first use). A COLD entry that no import()
 * reaches (a module renamed or no longer lazy) fails the build rather than
 * silently landing in the hot file.
 */
function coldImports() {
  const reached = new Set();
  return {
    name: 'cold-imports',
    setup(b) {
      b.onEnd((result) => {
        const missed = COLD.filter((m) => !reached.has(m));
        if (result.errors.length === 0 && missed.length > 0)
          return { errors: missed.map((m) => ({ text: `COLD lists ${m}, but no import() in the CLI reaches it` })) };
        return undefined;
      });
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.path === COLD_FILE) return { path: COLD_FILE, external: true };
        if (args.kind !== 'dynamic-import') return undefined;
        const target = relative(root, resolve(dirname(args.importer), args.path));
        if (!COLD.includes(target)) return undefined;
        reached.add(target);
        return { path: target, namespace: 'cold' };
      });
      b.onLoad({ filter: /.*/, namespace: 'cold' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(COLD_FILE)})[${JSON.stringify(args.path)}];`,
        resolveDir: outdir,
        loader: 'js',
      }));
    },
  };
}

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
