import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackFile } from '../../../src/stacks/file/parse.js';
import { stackNameOf, toPlan } from '../../../src/stacks/file/to-plan.js';

const dir = mkdtempSync(join(tmpdir(), 'rl-stack-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plan(text: string) {
  writeFileSync(join(dir, 'runledger.yaml'), text);
  return toPlan(loadStackFile(join(dir, 'runledger.yaml'), dir));
}

describe('stack file -> plan', () => {
  it('expands replicas and dependencies on them; paths are relative to the file; bare numbers are seconds', () => {
    const p = plan(
      'name: shop\nprocesses:\n  web:\n    command: [node, server.js]\n    replicas: 2\n    cwd: app\n    grace: 5\n    env: { PORT: 3000 }\n  lb:\n    command: lb\n    dependsOn: { web: ready }\n    ready: { port: 80, timeout: 1.5 }\n',
    );
    expect(p.name).toBe('shop');
    expect(p.processes.map((x) => x.name)).toEqual(['web.1', 'web.2', 'lb']);
    expect(p.processes[0]!.spec).toMatchObject({
      command: 'node',
      args: ['server.js'],
      cwd: join(dir, 'app'),
      grace: '5000ms',
      env: { PORT: '3000' },
    });
    expect(p.processes[2]!.dependsOn).toEqual({ 'web.1': 'ready', 'web.2': 'ready' });
    expect(p.processes[2]!.spec.ready).toEqual({ port: 80, timeout: '1500ms' });
  });

  it('maps the health block onto the run spec field (ms, defaults)', () => {
    const p = plan(
      'processes:\n  api:\n    command: api\n    health:\n      http: http://127.0.0.1:8080/health\n      interval: 2\n      startPeriod: 500ms\n',
    );
    expect(p.processes[0]!.spec.health).toEqual({
      http: { url: 'http://127.0.0.1:8080/health' },
      interval: 2000,
      timeout: 30_000,
      failureThreshold: 3,
      startPeriod: 500,
    });
  });

  it('refuses a health block with two probes, an unknown dependency and a cycle, with lines', () => {
    expect(() => plan('processes:\n  api:\n    command: api\n    health: { tcp: 80, exec: [check] }\n')).toThrow(
      'runledger.yaml:4 processes.api.health: expected exactly one of http, tcp, exec',
    );
    expect(() => plan('processes:\n  api:\n    command: api\n    dependsOn:\n      db: ready\n')).toThrow(
      'runledger.yaml:5 processes.api.dependsOn.db: no process named db (processes: api)',
    );
    expect(() =>
      plan('processes:\n  a:\n    command: x\n    dependsOn: { b: ready }\n  b:\n    command: x\n    dependsOn: { a: ready }\n'),
    ).toThrow('runledger.yaml:4 dependency cycle: a -> b -> a');
  });

  it('names a stack after its directory, made a valid name', () => {
    expect(stackNameOf('/home/me/My App')).toBe('My-App');
  });
});
