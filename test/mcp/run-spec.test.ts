/** The run tool's arguments as a spec: owner session, client labels, seconds for bare numbers, guards at the door. */
import { describe, expect, it } from 'vitest';
import { durationOf, specOfRunArgs, type RunGuard } from '../../src/mcp/run-spec.js';

const guard: RunGuard = { session: 's-1', labels: { 'runledger.mcp.client': 'agent' }, defaultCwd: '/tmp', allowCwd: [], noShell: false };

describe('specOfRunArgs', () => {
  it('makes this session the owner and names the client in labels it cannot override', () => {
    const spec = specOfRunArgs({ command: 'node', args: ['x'], labels: { a: '1', 'runledger.mcp.client': 'forged' }, turn: 't' }, guard);
    expect(spec).toMatchObject({
      command: 'node',
      args: ['x'],
      cwd: '/tmp',
      owner: { session: 's-1', turn: 't' },
      labels: { a: '1', 'runledger.mcp.client': 'agent' },
    });
  });

  it('reads bare numbers as seconds and passes duration strings through', () => {
    const spec = specOfRunArgs(
      { command: 'x', timeout: 2, grace: '500ms', ready: { port: 80, timeout: 1.5 }, restart: { policy: 'always', minUptime: 3 } },
      guard,
    );
    expect(spec).toMatchObject({
      timeout: 2000,
      grace: '500ms',
      ready: { port: 80, timeout: 1500 },
      restart: { policy: 'always', minUptime: 3000 },
    });
    expect(durationOf('5m')).toBe('5m');
  });

  it('joins a shell command line, and refuses it under --no-shell', () => {
    expect(specOfRunArgs({ command: 'echo', args: ['a', 'b'], shell: true }, guard)).toMatchObject({
      command: 'echo a b',
      args: [],
      shell: true,
    });
    expect(() => specOfRunArgs({ command: 'echo a | wc', shell: true }, { ...guard, noShell: true })).toThrow(
      expect.objectContaining({ code: 'SHELL_NOT_ALLOWED' }),
    );
  });

  it('refuses a cwd outside --allow-cwd', () => {
    expect(() => specOfRunArgs({ command: 'x', cwd: '/' }, { ...guard, allowCwd: ['/nonexistent-allowed'] })).toThrow(
      expect.objectContaining({ code: 'CWD_NOT_ALLOWED' }),
    );
  });
});
