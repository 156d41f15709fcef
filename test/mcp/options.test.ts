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
  });
});

it('resolves --allow-cwd to real paths (relative to the cwd), the first being the default cwd; reads --no-shell', () => {
  const o = normalizeMcpOptions('/h', { allowCwd: ['link', '/'], shell: false, onDisconnect: 'stop' }, root);
  expect(o).toMatchObject({ allowCwd: [join(root, 'real'), '/'], defaultCwd: join(root, 'real'), noShell: true, onDisconnect: 'stop' });
});

it('refuses a bad policy, an empty session and a missing directory as USAGE', () => {
  for (const flags of [{ onDisconnect: 'later' }, { session: ' ' }, { allowCwd: ['missing'] }])
    expect(() => normalizeMcpOptions('/h', flags, root)).toThrow(expect.objectContaining({ code: 'USAGE' }));
});
