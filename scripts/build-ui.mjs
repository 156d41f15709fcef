#!/usr/bin/env node
// Builds the web UI (web/) into dist/ui/ with esbuild: one ES module bundle,
// one stylesheet, the page and its icon. Everything the page needs is in
// those files (no CDN), so it works offline; the daemon serves them.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const out = join(root, 'dist', 'ui');
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(web, 'src', 'main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  target: ['chrome111', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
await build({
  entryPoints: [join(web, 'app.css')],
  outfile: join(out, 'app.css'),
  minify: true,
  target: ['chrome111', 'firefox115', 'safari16'],
  logLevel: 'warning',
});
for (const name of ['index.html', 'icon.svg']) copyFileSync(join(web, name), join(out, name));
