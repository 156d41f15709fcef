import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeStateDir, removeDir } from './helpers.js';

const dist = (p: string): string => fileURLToPath(new URL(`../../dist/${p}`, import.meta.url));

/**
 * Runs in a child under a tiny descriptor limit: uses up every descriptor,
 * then asks the background runtime to spawn. Prints the outcome as JSON.
 */
const script = `
const { openSync } = await import('node:fs');
const { createBackgroundRuntime } = await import(${JSON.stringify(dist('runtime/background.js'))});
const runtime = createBackgroundRuntime({ stateDir: process.argv[1] });
const held = [];
try { for (;;) held.push(openSync('/dev/null', 'r')); } catch {}
let outcome;
try {
  await runtime.spawn({ runId: '01JZZZZZZZZZZZZZZZZZZZZZZZ', attempt: 1, command: 'sleep', args: ['5'], shell: false, cwd: '/', env: {}, logs: { maxBytes: 1000, keep: 1 } });
  outcome = { spawned: true };
} catch (err) {
  outcome = { code: err.code };
}
await new Promise((r) => setTimeout(r, 300)); // a late 'error' event would crash us here
console.log(JSON.stringify(outcome));
`;

describe('spawning with no descriptor left', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));

  it('is a SPAWN_FAILED for that run, not a crash of the process that supervises (the daemon)', () => {
    const dir = makeStateDir();
    dirs.push(dir);
    const out = execFileSync('prlimit', ['--nofile=64:64', process.execPath, '--input-type=module', '-e', script, dir], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').pop() ?? '')).toEqual({ code: 'SPAWN_FAILED' });
  });
});
