/** `runledger mcp` flags at the door: real paths for --allow-cwd, a checked policy, the default cwd. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { normalizeMcpOptions } from '../../src/mcp/options.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'rl-mcp-opts-')));
mkdirSync(join(root, 'real'));
symlinkSync(join(root, 'real'), join(root, 'link'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('defaults: keep, no limits, the cwd', () => {
  expect(normalizeMcpOptions('/h', {}, root)).toEqual({
    home: '/h',
    session: undefined,
    onDisconnect: 'keep',
    allowCwd: [],
    noShell: false,
    readOnly: false,
    defaultCwd: root,
    progressEveryMs: 2000,
  });
});

it('resolves --allow-cwd to real paths (relative to the cwd), the first being the default cwd; reads --no-shell', () => {
  const o = normalizeMcpOptions('/h', { allowCwd: ['link', '/'], shell: false, onDisconnect: 'stop' }, root);
  expect(o).toMatchObject({ allowCwd: [join(root, 'real'), '/'], defaultCwd: join(root, 'real'), noShell: true, onDisconnect: 'stop' });
});

it('reads --progress-every as a duration (a bare number is seconds)', () => {
  expect(normalizeMcpOptions('/h', { progressEvery: '250ms' }, root).progressEveryMs).toBe(250);
  expect(normalizeMcpOptions('/h', { progressEvery: '1.5' }, root).progressEveryMs).toBe(1500);
});

it('refuses a bad policy, an empty session, a missing directory and a busy-loop progress interval as USAGE', () => {
  for (const flags of [{ onDisconnect: 'later' }, { session: ' ' }, { allowCwd: ['missing'] }, { progressEvery: '0' }])
    expect(() => normalizeMcpOptions('/h', flags, root)).toThrow(expect.objectContaining({ code: 'USAGE' }));
});
