import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfig, loadConfig, parseConfig } from '../../src/cli/config/load.js';
import { resolveBatch, resolveTemplate } from '../../src/cli/config/template.js';
import { RunledgerError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'rl-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function caught(fn: () => unknown): RunledgerError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RunledgerError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

const config = {
  templates: {
    web: { command: 'node', args: ['server.js', '--port', '{{port}}'], ready: { port: '{{port}}' }, vars: { port: '3000' }, cwd: 'app' },
    job: { command: 'echo', args: ['{{ what }}'], labels: { kind: '{{what}}' } },
  },
  batches: { dev: ['web', { template: 'job', bind: { what: 'lint' } }] },
};

describe('config file', () => {
  const file = join(dir, 'runledger.config.json');
  writeFileSync(file, JSON.stringify(config));

  it('is found from a subdirectory upwards', () => {
    const sub = join(dir, 'a', 'b');
    mkdirSync(sub, { recursive: true });
    expect(findConfig(sub)).toBe(file);
    expect(loadConfig(undefined, sub).file).toBe(file);
  });

  it('fills placeholders from --bind over the template vars, numbers back to numbers, cwd relative to the file', () => {
    const loaded = loadConfig(file, '/');
    const web = resolveTemplate(loaded, 'web', { port: '8080' });
    expect(web.spec.args).toEqual(['server.js', '--port', '8080']);
    expect(web.spec.ready).toEqual({ port: 8080 });
    expect(web.spec.cwd).toBe(join(dir, 'app'));
    expect(resolveTemplate(loaded, 'web', {}).spec.ready).toEqual({ port: 3000 });
  });

  it('a number of a duration is seconds, as typed on the command line (issue 12)', () => {
    const f = join(dir, 'durations.json');
    const t = {
      command: 'x',
      timeout: 30,
      grace: 1.5,
      ready: { line: 'y', timeout: 2 },
      restart: { policy: 'always', backoff: 1, minUptime: '500ms' },
    };
    writeFileSync(f, JSON.stringify({ templates: { t } }));
    const { spec } = resolveTemplate(loadConfig(f, '/'), 't', {});
    expect(spec).toMatchObject({ timeout: '30', grace: '1.5', ready: { line: 'y', timeout: '2' } });
    expect(spec.restart).toEqual({ policy: 'always', backoff: '1', minUptime: '500ms' });
  });

  it('names the missing variable', () => {
    const err = caught(() => resolveTemplate(loadConfig(file, '/'), 'job', {}));
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain('{{what}}');
    expect(err.message).toContain('--bind what=');
  });

  it('resolves a batch with per-item bindings', () => {
    const items = resolveBatch(loadConfig(file, '/'), 'dev', {});
    expect(items.map((i) => i.name)).toEqual(['web', 'job']);
    expect(items[1]!.spec.labels).toEqual({ kind: 'lint' });
  });

  it('reports unknown templates and batches with what exists', () => {
    const loaded = loadConfig(file, '/');
    const t = caught(() => resolveTemplate(loaded, 'nope', {}));
    expect(t.code).toBe('TEMPLATE_NOT_FOUND');
    expect(t.message).toContain('web, job');
    expect(caught(() => resolveBatch(loaded, 'nope', {})).code).toBe('TEMPLATE_NOT_FOUND');
  });

  it('CONFIG_NOT_FOUND for a missing explicit file', () => {
    const err = caught(() => loadConfig(join(dir, 'missing.json'), '/'));
    expect(err.code).toBe('CONFIG_NOT_FOUND');
    expect(err.message).toContain('missing.json');
  });

  it('INVALID_CONFIG names the file, the JSON path and what was expected', () => {
    const bad = caught(() => parseConfig('/x/runledger.config.json', JSON.stringify({ templates: { web: { command: 'x', args: [1] } } })));
    expect(bad.code).toBe('INVALID_CONFIG');
    expect(bad.message).toContain('/x/runledger.config.json');
    expect(bad.message).toContain('templates.web.args[0]');
    expect(bad.message).toMatch(/expected string/i);
    const union = caught(() =>
      parseConfig('f.json', JSON.stringify({ templates: { web: { command: 'x', timeout: true, restart: 'sometimes' } } })),
    );
    expect(union.message).toContain('templates.web.timeout: expected a duration (30s, 5m, 1h, 500ms) or a number of seconds');
    expect(union.message).toContain('templates.web.restart: expected never, on-failure, always');
    const unknownKey = caught(() => parseConfig('f.json', JSON.stringify({ templates: { web: { command: 'x', colour: 'red' } } })));
    expect(unknownKey.message).toContain('templates.web');
    const syntax = caught(() => parseConfig('f.json', '{ "templates": '));
    expect(syntax.code).toBe('INVALID_CONFIG');
    expect(syntax.message).toContain('not valid JSON');
  });

  it('takes fleet.slots (names and patterns) and names a wrong entry', () => {
    expect(parseConfig('f.json', JSON.stringify({ fleet: { slots: ['gpu0', 'phone-*'] } })).fleet).toEqual({ slots: ['gpu0', 'phone-*'] });
    const blank = caught(() => parseConfig('f.json', JSON.stringify({ fleet: { slots: ['gpu0', ' '] } })));
    expect(blank.message).toContain('fleet.slots[1]: expected a slot name or pattern');
    const notList = caught(() => parseConfig('f.json', JSON.stringify({ fleet: { slots: 'gpu0' } })));
    expect(notList.message).toContain('fleet.slots: expected a list of slot names or patterns');
  });
});
