/** The CLI's fast path: client, home and lifecycle must not load LevelDB, RxJS or execa (static imports only; the foreground daemon is a lazy import). */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src/', import.meta.url));
const HEAVY = ['classic-level', 'rxjs', 'execa'];

/** Every module a file loads at import time: value imports and re-exports, not `import type` nor `import()`. */
function staticGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  if (!entry.startsWith('/')) return seen;
  const text = readFileSync(entry, 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^'";]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
    const spec = (m[1] ?? m[2])!;
    staticGraph(spec.startsWith('.') ? resolve(dirname(entry), spec.replace(/\.js$/, '.ts')) : spec, seen);
  }
  return seen;
}

describe('CLI fast path', () => {
  it('sees heavy imports where they are (the check itself works)', () => {
    expect([...staticGraph(join(src, 'daemon/foreground.ts'))]).toEqual(expect.arrayContaining(['classic-level', 'rxjs', 'execa']));
  });

  for (const file of ['daemon/client.ts', 'daemon/home.ts', 'daemon/lifecycle.ts', 'daemon/list-query.ts']) {
    it(`${file} loads no LevelDB, RxJS or execa`, () => {
      const graph = [...staticGraph(join(src, file))];
      expect(graph.filter((m) => HEAVY.some((h) => m === h || m.startsWith(`${h}/`)))).toEqual([]);
      expect(graph.some((m) => m.endsWith('daemon/foreground.ts'))).toBe(false);
    });
  }
});
