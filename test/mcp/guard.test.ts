/** --allow-cwd compares real paths (no escape by `..` or a symlink); --no-shell refuses shells in both forms. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCwd, checkShell } from '../../src/mcp/guard.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'rl-guard-')));
const allowed = join(root, 'allowed');
const outside = join(root, 'outside');
mkdirSync(join(allowed, 'sub'), { recursive: true });
mkdirSync(outside);
mkdirSync(join(root, 'allowed-twin'));
symlinkSync(outside, join(allowed, 'link-out'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const refused = (fn: () => unknown, code: string) => expect(fn).toThrow(expect.objectContaining({ code }));

describe('checkCwd', () => {
  it('accepts the allowed directory and below, answering the real path', () => {
    expect(checkCwd(allowed, '/', [allowed])).toBe(allowed);
    expect(checkCwd('sub', allowed, [allowed])).toBe(join(allowed, 'sub'));
    expect(checkCwd(join(allowed, 'sub', '..'), '/', [allowed])).toBe(allowed);
  });

  it('refuses outside, through .., through a symlink, and a sibling sharing the prefix', () => {
    refused(() => checkCwd(outside, '/', [allowed]), 'CWD_NOT_ALLOWED');
    refused(() => checkCwd('../outside', allowed, [allowed]), 'CWD_NOT_ALLOWED');
    refused(() => checkCwd(join(allowed, 'link-out'), '/', [allowed]), 'CWD_NOT_ALLOWED');
    refused(() => checkCwd(join(root, 'allowed-twin'), '/', [allowed]), 'CWD_NOT_ALLOWED');
  });

  it('refuses a directory that does not exist (nothing to resolve), and allows anything without a list', () => {
    refused(() => checkCwd(join(allowed, 'missing'), '/', [allowed]), 'CWD_NOT_ALLOWED');
    expect(checkCwd('x/y', '/base', [])).toBe('/base/x/y');
  });
});

describe('checkShell', () => {
  it('refuses shell: true and a shell binary as the command, by any path', () => {
    refused(() => checkShell({ command: 'echo hi', shell: true }), 'SHELL_NOT_ALLOWED');
    for (const command of ['sh', '/bin/sh', 'bash', '/usr/bin/zsh']) refused(() => checkShell({ command }), 'SHELL_NOT_ALLOWED');
    expect(() => checkShell({ command: 'node' })).not.toThrow();
    expect(() => checkShell({ command: 'shellcheck' })).not.toThrow();
  });
});
