/**
 * The page's files, built by `npm run build` (scripts/build-ui.mjs, esbuild)
 * into `dist/ui/`. Only names in the build's own list are served, read from
 * that one directory: no path from a request ever reaches the file system.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The files the page consists of, by URL path. */
export const UI_FILES: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/assets/app.js': 'app.js',
  '/assets/app.css': 'app.css',
  '/assets/icon.svg': 'icon.svg',
};

/** `dist/ui` of this package, from src/daemon/ui (tests) and dist/daemon/ui (built) alike. */
export function uiDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'ui');
}

export interface UiAsset {
  body: Buffer;
  type: string;
}

/** The asset for a URL path, undefined when it is not one of the page's files; throws when the page was not built. */
export async function readUiAsset(path: string, dir = uiDir()): Promise<UiAsset | undefined> {
  const name = UI_FILES[path];
  if (name === undefined) return undefined;
  const body = await readFile(join(dir, name));
  return { body, type: TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream' };
}
