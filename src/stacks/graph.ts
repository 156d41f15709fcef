/**
 * The dependency graph of a stack (pure): unknown dependencies and cycles
 * are errors naming them; otherwise an order in which every process comes
 * after what it depends on (and the reverse, for `down`).
 */
import { RunledgerError } from '../errors.js';

/** name -> the names it depends on. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/** INVALID_STACK for a dependency that names no process, or for a cycle (`a -> b -> a`). */
export function checkGraph(graph: DependencyGraph, where = 'stack'): string[] {
  for (const [name, deps] of graph)
    for (const dep of deps)
      if (!graph.has(dep))
        throw new RunledgerError('INVALID_STACK', `${where}: ${name} depends on ${dep}, which is not a process of the stack`, {
          process: name,
          dependency: dep,
        });
  const cycle = findCycle(graph);
  if (cycle) throw new RunledgerError('INVALID_STACK', `${where}: dependency cycle: ${cycle.join(' -> ')}`, { cycle });
  return startOrder(graph);
}

/** The first cycle found, as a closed path (`[a, b, a]`), or null. */
export function findCycle(graph: DependencyGraph): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'open') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'open');
    path.push(name);
    for (const dep of graph.get(name) ?? []) {
      const found = visit(dep);
      if (found) return found;
    }
    path.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of graph.keys()) {
    const found = visit(name);
    if (found) return found;
  }
  return null;
}

/** Dependencies first; among equals, the file's order. Assumes no cycle. */
export function startOrder(graph: DependencyGraph): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const dep of graph.get(name) ?? []) visit(dep);
    out.push(name);
  };
  for (const name of graph.keys()) visit(name);
  return out;
}

/** `names` and everything they depend on, transitively (what `up NAME` brings up). */
export function withDependencies(graph: DependencyGraph, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  const visit = (name: string): void => {
    if (out.has(name)) return;
    out.add(name);
    for (const dep of graph.get(name) ?? []) visit(dep);
  };
  names.forEach(visit);
  return out;
}

/** `names` and everything that depends on them, transitively (what `down NAME` must stop first). */
export function withDependents(graph: DependencyGraph, names: readonly string[]): Set<string> {
  const out = new Set<string>(names);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, deps] of graph)
      if (!out.has(name) && deps.some((d) => out.has(d))) {
        out.add(name);
        grew = true;
      }
  }
  return out;
}
