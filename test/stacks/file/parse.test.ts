import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackFile } from '../../../src/stacks/file/parse.js';
import { stackJsonSchema } from '../../../src/stacks/file/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'rl-stack-parse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(name: string, text: string) {
  writeFileSync(join(dir, name), text);
  return loadStackFile(join(dir, name), dir);
}

function errorOf(name: string, text: string): string {
  try {
    load(name, text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('stack file loading', () => {
  it('names file, line and path of a schema error', () => {
    const text = 'processes:\n  web:\n    command: node\n  worker:\n    command: node\n    dependsOn:\n      web: redy\n';
    expect(errorOf('runledger.yaml', text)).toBe(
      'runledger.yaml:7 processes.worker.dependsOn.web: expected started|ready|healthy|completed',
    );
  });

  it('points an unknown key at its own line, and lists several problems', () => {
    const text = 'processes:\n  web:\n    command: node\n    grace: soon\n    colour: red\n';
    expect(errorOf('runledger.yaml', text).split('\n')).toEqual([
      'runledger.yaml:5 processes.web.colour: unexpected property',
      'runledger.yaml:4 processes.web.grace: expected a duration: seconds, or 500ms, 30s, 5m, 1h',
    ]);
  });

  it('reports a YAML syntax error with its line', () => {
    expect(errorOf('runledger.yaml', 'processes:\n  web:\n    command: [node\n')).toMatch(/^runledger\.yaml:\d+: /);
  });

  it('reads JSON too', () => {
    const loaded = load('runledger.json', JSON.stringify({ name: 'x', processes: { a: { command: ['sleep', '1'] } } }));
    expect(loaded.stack.processes.a!.command).toEqual(['sleep', '1']);
  });

  it('refuses a process name with a dot (replica names use it)', () => {
    expect(errorOf('runledger.yaml', 'processes:\n  web.1:\n    command: node\n')).toBe(
      'runledger.yaml:2 processes["web.1"]: a process name is letters, digits, _ and -',
    );
  });

  it('publishes the schema it validates with', () => {
    const schema = stackJsonSchema() as { $schema: string; properties: Record<string, unknown> };
    expect(schema.$schema).toContain('json-schema.org');
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'name', 'processes']);
  });
});
