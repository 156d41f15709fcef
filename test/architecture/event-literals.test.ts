/**
 * "Every event literal lives in a decider file": the effectful code (driver,
 * reconcile pass, Supervisor, daemon…) calls deciders and never builds an
 * event itself, so "who produces X" is one grep of the decider files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/events/constants.js';

const SRC = resolve(import.meta.dirname, '../../src');
/** The decider files: pure functions from state and a command or fact to events. */
const DECIDERS = /^(supervisor\/(decide(-[\w-]+)?|outcome)|(recovery|stacks|fleet)\/decide-[\w-]+)\.ts$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** `type: 'X'` for a known event type X, in code (comments are examples, not producers). */
function eventLiterals(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const known = new Set<string>(EVENT_TYPES);
  return [...code.matchAll(/\btype:\s*['"`](\w+)['"`]/g)].map((m) => m[1]!).filter((t) => known.has(t));
}

describe('architecture: every event literal lives in a decider file', () => {
  const files = sourceFiles(SRC).map((f) => ({ path: relative(SRC, f), literals: eventLiterals(readFileSync(f, 'utf8')) }));

  it("the scan finds the deciders' literals (it must not pass vacuously)", () => {
    const inDeciders = files.filter((f) => DECIDERS.test(f.path)).flatMap((f) => f.literals);
    expect(new Set(inDeciders)).toEqual(new Set(EVENT_TYPES));
  });

  it('no other file under src/ builds an event', () => {
    const outside = files.filter((f) => !DECIDERS.test(f.path) && f.literals.length > 0).map((f) => `${f.path}: ${f.literals.join(', ')}`);
    expect(outside).toEqual([]);
  });
});
