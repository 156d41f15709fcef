/**
 * The safety flags, through the real server: refused calls are tool errors
 * carrying the stable code (in the text and in `_meta`), nothing is started,
 * and the server goes on answering.
 */
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectMcp, errorCode, Home, textOf, type Connected } from './helpers.js';

// Each test starts a server process (and the first a daemon); under CI's busy loops that takes seconds.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

let home: Home;
beforeAll(() => {
  home = new Home();
});
afterAll(async () => {
  await home.cleanup();
});

async function withServer(flags: string[], body: (mcp: Connected) => Promise<void>): Promise<void> {
  const mcp = await connectMcp(home, flags);
  try {
    await body(mcp);
  } finally {
    await mcp.close();
  }
}

const runIds = async (): Promise<string[]> => (await home.json<{ runs: { id: string }[] }>(['ps', '--all'])).runs.map((r) => r.id);

describe('--allow-cwd', () => {
  it('refuses a cwd outside, through .., or through a symlink; starts inside (default: the first allowed dir)', async () => {
    const allowed = join(home.dir, 'work');
    mkdirSync(join(allowed, 'sub'), { recursive: true });
    symlinkSync(home.dir, join(allowed, 'escape'));
    await withServer(['--allow-cwd', allowed], async (mcp) => {
      const before = await runIds();
      for (const cwd of ['/', join(allowed, '..'), '../', join(allowed, 'escape'), join(allowed, 'missing')]) {
        const r = await mcp.call('run', { command: 'true', cwd });
        expect(errorCode(r), `${cwd}: ${textOf(r)}`).toBe('CWD_NOT_ALLOWED');
      }
      expect(await runIds()).toEqual(before);

      const inside = await mcp.call('run', { command: 'true', cwd: 'sub' });
      expect(inside.isError, textOf(inside)).toBeFalsy();
      expect(inside.structuredContent.run.cwd).toBe(join(realpathSync(allowed), 'sub'));
      const byDefault = await mcp.call('run', { command: 'true' });
      expect(byDefault.structuredContent.run.cwd).toBe(realpathSync(allowed));
    });
  });
});

describe('--no-shell', () => {
  it('refuses shell: true and a shell as the command, and runs a plain command', async () => {
    await withServer(['--no-shell'], async (mcp) => {
      expect(errorCode(await mcp.call('run', { command: 'echo hi | cat', shell: true }))).toBe('SHELL_NOT_ALLOWED');
      expect(errorCode(await mcp.call('run', { command: '/bin/sh', args: ['-c', 'echo hi'] }))).toBe('SHELL_NOT_ALLOWED');
      const plain = await mcp.call('run', { command: 'true' });
      expect(plain.isError, textOf(plain)).toBeFalsy();
    });
  });

  it('without it, shell: true is a shell (the user asked for one)', async () => {
    await withServer([], async (mcp) => {
      const { run } = (await mcp.call('run', { command: 'echo $((6 * 7))', shell: true })).structuredContent;
      await mcp.call('wait', { id: run.id, for: 'exit' });
      expect((await mcp.call('logs', { id: run.id })).structuredContent.lines.map((l: { line: string }) => l.line)).toEqual(['42']);
    });
  });
});

describe('--read-only', () => {
  it('lists only the query tools and refuses the others with READ_ONLY, starting nothing', async () => {
    await withServer(['--read-only'], async (mcp) => {
      const { tools } = await mcp.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['events', 'logs', 'ps', 'show', 'wait']);
      const before = await runIds();
      for (const [name, args] of [
        ['run', { command: 'true' }],
        ['stop', { ids: ['x'] }],
        ['restart', { id: 'x' }],
        ['interrupt', {}],
        ['up', {}],
        ['down', { file: 'runledger.yaml' }],
      ] as const) {
        const r = await mcp.call(name, args);
        expect(errorCode(r), `${name}: ${textOf(r)}`).toBe('READ_ONLY');
      }
      expect(await runIds()).toEqual(before);
      expect((await mcp.call('ps', { all: true })).isError).toBeFalsy();
    });
  });
});

describe('flags', () => {
  it('a bad flag value is a usage error on stderr, and nothing on stdout', async () => {
    const r = await home.cli(['mcp', '--on-disconnect', 'later']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error [USAGE]: --on-disconnect must be stop or keep');
  });
});
