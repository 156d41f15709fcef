import { describe, expect, it } from 'vitest';
import { isRunledgerError } from '../../src/errors.js';
import { checkGraph, findCycle, startOrder, withDependencies, withDependents } from '../../src/stacks/graph.js';

const g = (o: Record<string, string[]>) => new Map(Object.entries(o));

describe('stack dependency graph', () => {
  it('orders dependencies first, keeping the file order among equals', () => {
    expect(startOrder(g({ worker: ['web'], web: ['db', 'migrate'], db: [], migrate: ['db'] }))).toEqual(['db', 'migrate', 'web', 'worker']);
  });

  it('names a cycle as a closed path', () => {
    expect(findCycle(g({ a: ['b'], b: ['c'], c: ['a'] }))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(g({ a: ['a'] }))).toEqual(['a', 'a']);
    expect(findCycle(g({ a: ['b'], b: [] }))).toBeNull();
  });

  it('refuses an unknown dependency and a cycle with INVALID_STACK', () => {
    const unknown = (() => {
      try {
        return checkGraph(g({ a: ['ghost'] }), 'f.yaml');
      } catch (err) {
        return err;
      }
    })();
    expect(isRunledgerError(unknown, 'INVALID_STACK')).toBe(true);
    expect((unknown as Error).message).toBe('f.yaml: a depends on ghost, which is not a process of the stack');
    expect(() => checkGraph(g({ a: ['b'], b: ['a'] }), 'f.yaml')).toThrow('f.yaml: dependency cycle: a -> b -> a');
  });

  it('up NAME brings its dependencies; down NAME takes its dependents', () => {
    const graph = g({ db: [], web: ['db'], worker: ['web'], cron: [] });
    expect([...withDependencies(graph, ['worker'])].sort()).toEqual(['db', 'web', 'worker']);
    expect([...withDependents(graph, ['db'])].sort()).toEqual(['db', 'web', 'worker']);
    expect([...withDependents(graph, ['cron'])]).toEqual(['cron']);
  });
});
