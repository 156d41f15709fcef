/**
 * Deciders take commands as data (Emmett's decide(command, state)): past
 * `(state, command, now)` a decider's positional arguments are a command
 * object waiting to be named.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = resolve(import.meta.dirname, '../../src/supervisor');
const MAX_POSITIONAL = 3;

/** Top-level parameters of a parameter list (commas inside types and defaults do not count). */
function countParams(raw: string): number {
  // A trailing comma (the formatter adds one to a parameter list it breaks over lines) starts no parameter.
  const list = raw.trim().replace(/,$/, '');
  let depth = 0;
  let count = list.trim() === '' ? 0 : 1;
  for (const c of list) {
    if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c)) depth--;
    else if (c === ',' && depth === 0) count++;
  }
  return count;
}

describe('architecture: deciders take a command object', () => {
  const deciders = readdirSync(DIR)
    .filter((f) => /^(decide(-[\w-]+)?|outcome)\.ts$/.test(f))
    .flatMap((f) =>
      [...readFileSync(join(DIR, f), 'utf8').matchAll(/export function (decide\w*)\(([^)]*)\)/g)].map((m) => ({
        name: `${f}: ${m[1]}`,
        params: countParams(m[2]!),
      })),
    );

  it('finds the deciders', () => {
    expect(deciders.length).toBeGreaterThan(15);
  });

  it(`none takes more than ${MAX_POSITIONAL} positional arguments`, () => {
    expect(deciders.filter((d) => d.params > MAX_POSITIONAL).map((d) => `${d.name} (${d.params})`)).toEqual([]);
  });
});
