/** `runledger ps` with a daemon answering loads no LevelDB, RxJS, execa, nor the MCP SDK and zod, nor node:child_process (start-up is what users wait on). */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Home } from './helpers.js';

const HEAVY = /\/node_modules\/(classic-level|rxjs|execa|@modelcontextprotocol|zod)\//;
let home: Home;
beforeAll(async () => {
  home = new Home();
  await home.start(['--', 'sleep', '60']);
});
afterAll(async () => {
  await home.cleanup();
});

async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const log = join(home.dir, `loads-${args[0]}.txt`);
  rmSync(log, { force: true });
  const r = await home.cli(args, {
    nodeArgs: ['--require', join(import.meta.dirname, 'fixtures/record-loads.cjs')],
    env: { RL_LOAD_LOG: log },
  });
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

it('ps and daemon status through the daemon load no heavy module', async () => {
  for (const args of [['ps'], ['ps', '--json', '--all'], ['daemon', 'status']]) {
    const loaded = await modulesLoadedBy(args);
    expect(loaded).toContain('node:net'); // the hook saw the CLI load its daemon client
    expect(loaded.filter((u) => HEAVY.test(u))).toEqual([]);
  }
});

it('run through a running daemon loads none either', async () => {
  const loaded = await modulesLoadedBy(['run', '--', 'sleep', '60']);
  expect(loaded.filter((u) => HEAVY.test(u))).toEqual([]);
});

it('ps and run through a running daemon do not load node:child_process (only starting a daemon needs it)', async () => {
  for (const args of [['ps'], ['run', '--', 'sleep', '60']]) expect(await modulesLoadedBy(args)).not.toContain('node:child_process');
});

it('(control) the ledger path does load LevelDB, so the check can fail', async () => {
  const other = new Home();
  try {
    const log = join(other.dir, 'loads.txt');
    await other.cli(['ps'], { nodeArgs: ['--require', join(import.meta.dirname, 'fixtures/record-loads.cjs')], env: { RL_LOAD_LOG: log } });
    await other.cli(['verify']); // creates nothing, but ensure the path runs
    expect(readFileSync(log, 'utf8')).toMatch(/classic-level/);
  } finally {
    await other.cleanup();
  }
});
