import { describe, expect, it } from 'vitest';
import { specHashOf } from '../../src/stacks/spec-hash.js';

const p = (spec: object) => ({ name: 'web', group: 'web', dependsOn: {}, spec: { command: 'node', cwd: '/app', ...spec } });

describe('spec hash', () => {
  it('is the same for the same spec, whatever the key order or the stack labels', () => {
    expect(specHashOf(p({ env: { A: '1', B: '2' } }))).toBe(specHashOf(p({ env: { B: '2', A: '1' } })));
    expect(specHashOf(p({ labels: { 'runledger.stack': 'x' } }))).toBe(specHashOf(p({})));
  });

  it('is the same whoever ran `up`: the CLI (no owner) or an MCP session (owner and client labels)', () => {
    const mcp = p({ owner: { session: 'agent-1' }, labels: { 'runledger.mcp.client': 'agent', 'runledger.mcp.client-version': '1' } });
    expect(specHashOf(mcp)).toBe(specHashOf(p({})));
    expect(specHashOf(p({ owner: { session: 'agent-2' } }))).toBe(specHashOf(mcp));
  });

  it('changes with the command, the args, the ready check or the health block', () => {
    const base = specHashOf(p({}));
    expect(specHashOf(p({ args: ['x'] }))).not.toBe(base);
    expect(specHashOf(p({ ready: { port: 80 } }))).not.toBe(base);
    const health = { tcp: { port: 80 }, interval: 1000, timeout: 1000, failureThreshold: 1, startPeriod: 0 };
    expect(specHashOf({ ...p({}), spec: { ...p({}).spec, health } })).not.toBe(base);
  });
});
