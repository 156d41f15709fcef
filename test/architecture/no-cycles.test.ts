/**
 * The layering ARCHITECTURE.md promises ("## Layers"), checked on the import
 * statements of src/**\/*.ts: the layer order is read from that section's
 * block, so the document and this test cannot drift apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
/** Root modules that import no layer; every layer may use them. */
const ROOT_LEAVES = ['errors', 'clock', 'ids'];

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** Relative imports of one file: `import … from`, `export … from`, bare `import '…'` and `import('…')`. */
function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const edges: Edge[] = [];
  const add = (spec: string, typeOnly: boolean): void => {
    if (!spec.startsWith('.')) return;
    edges.push({ from: relative(SRC, file), to: relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))), typeOnly });
  };
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^;']*?\bfrom\s*)?'([^']+)'/gm)) add(m[3]!, m[2] !== undefined);
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) add(m[1]!, false);
  return edges;
}

/** Top-level folder of a src-relative path; root files are named by their module (errors, clock, index…). */
const layerOf = (path: string): string => (path.includes('/') ? path.split('/')[0]! : path.replace(/\.ts$/, ''));

function layerOrder(): string[] {
  const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
  const block = doc.split('## Layers')[1]!.split('```')[1]!;
  return [...block.matchAll(/^(\w+)\/\s/gm)].map((m) => m[1]!);
}

const edges = sourceFiles(SRC).flatMap(importsOf);
const crossing = edges.filter((e) => layerOf(e.from) !== layerOf(e.to));

/** Files reachable from `starts` over value imports, not expanding files for which `stop` holds. */
function reachable(starts: string[], stop: (file: string) => boolean): Set<string> {
  const seen = new Set(starts);
  const queue = [...starts];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (stop(file)) continue;
    for (const e of edges) {
      if (e.from === file && !e.typeOnly && !seen.has(e.to)) {
        seen.add(e.to);
        queue.push(e.to);
      }
    }
  }
  return seen;
}

describe('architecture: layers as ARCHITECTURE.md promises them', () => {
  const order = layerOrder();

  it('the parser sees the code base (a broken regex must not pass vacuously)', () => {
    expect(order).toEqual(
      expect.arrayContaining(['cli', 'daemon', 'supervisor', 'reconcile', 'runtime', 'projections', 'store', 'events']),
    );
    expect(crossing.length).toBeGreaterThan(100);
    expect(crossing).toContainEqual({ from: 'supervisor/driver.ts', to: 'projections/run-state.ts', typeOnly: false });
  });

  it('no cycle between top-level folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of crossing) {
      if (layerOf(e.from) === 'index') continue; // the package entry re-exports every layer
      graph.set(layerOf(e.from), (graph.get(layerOf(e.from)) ?? new Set()).add(layerOf(e.to)));
    }
    const cycles: string[] = [];
    const walk = (node: string, path: string[]): void => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      for (const next of graph.get(node) ?? []) walk(next, [...path, node]);
    };
    for (const node of graph.keys()) walk(node, []);
    expect([...new Set(cycles)]).toEqual([]);
  });

  it('dependencies point down the listed order (sim/ sits on top; root leaves are free to use)', () => {
    const rank = (layer: string): number => (layer === 'sim' ? -1 : order.indexOf(layer));
    const upward = crossing
      .filter((e) => layerOf(e.from) !== 'index' && !ROOT_LEAVES.includes(layerOf(e.to)))
      .filter((e) => ROOT_LEAVES.includes(layerOf(e.from)) || rank(layerOf(e.to)) <= rank(layerOf(e.from)))
      .map((e) => `${e.from} -> ${e.to}`);
    expect(upward).toEqual([]);
  });

  it('events/ imports nothing of ours but errors.ts', () => {
    const out = crossing.filter((e) => layerOf(e.from) === 'events' && e.to !== 'errors.ts');
    expect(out).toEqual([]);
  });

  it('projections/ never imports runtime/, not even through another layer', () => {
    const projections = [...new Set(edges.map((e) => e.from))].filter((f) => layerOf(f) === 'projections');
    const all = new Set(projections);
    for (let grew = true; grew; ) {
      grew = false;
      for (const e of edges) if (all.has(e.from) && !all.has(e.to)) (all.add(e.to), (grew = true));
    }
    expect([...all].filter((f) => layerOf(f) === 'runtime')).toEqual([]);
  });

  it('cli/ reaches runtime/ only through daemon/ (value imports, followed transitively)', () => {
    const cli = [...new Set(edges.map((e) => e.from))].filter((f) => layerOf(f) === 'cli');
    const reached = reachable(cli, (f) => layerOf(f) === 'daemon');
    expect([...reached].filter((f) => layerOf(f) === 'runtime')).toEqual([]);
  });
});
