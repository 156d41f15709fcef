/**
 * Bad input for each command: a clear error, the right exit code (1 known
 * error, 2 usage), and the ledger untouched (same head, verify clean).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home } from './helpers.js';

let home: Home;
let sleeper: { id: string; shortId: string };
let shared = '';
let head = 0;
const dir = mkdtempSync(join(tmpdir(), 'rl-badcfg-'));

beforeAll(async () => {
  home = new Home();
  sleeper = await home.start(['--slot', 'busy', '--', 'sleep', '600']);
  shared = await startUntilSharedPrefix();
  writeFileSync(join(dir, 'invalid.json'), JSON.stringify({ templates: { web: { command: 'node', timeout: true } } }));
  writeFileSync(join(dir, 'runledger.config.json'), JSON.stringify({ templates: { web: { command: 'echo', args: ['{{port}}'] } } }));
  head = (await home.ledger()).head;
});
afterAll(async () => {
  try {
    const after = await home.ledger();
    // Nothing below may have appended a single event, nor broken the chain.
    expect(after).toEqual({ ok: true, head });
  } finally {
    // Even when the check fails: a leaked daemon or sleeper would outlive the test run.
    await home.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function expectError(args: string[], code: string, exit: number, message?: RegExp, cwd?: string) {
  const human = await home.cli(args, cwd ? { cwd } : {});
  expect(human.code, `${args.join(' ')}: ${human.stderr}`).toBe(exit);
  expect(human.stderr).toMatch(new RegExp(`^error \\[${code}\\]: `));
  expect(human.stderr).not.toMatch(/\n\s+at /); // no stack trace for a known error
  if (message) expect(human.stderr).toMatch(message);
  const json = await home.cli(['--json', ...args], cwd ? { cwd } : {});
  expect(json.code).toBe(exit);
  expect(JSON.parse(json.stderr.trim().split('\n').pop()!).error).toMatchObject({ code });
  expect(json.stdout).toBe('');
}

describe('unknown and ambiguous ids', () => {
  it('RUN_NOT_FOUND from every command that takes an id', async () => {
    for (const cmd of [['show'], ['stop'], ['restart'], ['rerun'], ['logs'], ['attach']])
      await expectError([...cmd, 'zzzzzzz'], 'RUN_NOT_FOUND', 1, /no run matches "zzzzzzz"/);
    await expectError(['events', '--run', 'zzzzzzz'], 'RUN_NOT_FOUND', 1);
    await expectError(['export', '--run', 'zzzzzzz'], 'RUN_NOT_FOUND', 1);
  });

  it('AMBIGUOUS_ID lists the candidates', async () => {
    await expectError(['show', shared], 'AMBIGUOUS_ID', 1, /matches \d+ runs: .*; type more characters/);
    await expectError(['stop', shared], 'AMBIGUOUS_ID', 1);
    const json = await home.cli(['--json', 'show', shared]);
    expect(JSON.parse(json.stderr).error.details.candidates.length).toBeGreaterThanOrEqual(2);
  });
});

/** ULIDs begin with the time: runs started within about a second share their first 8 characters. */
async function startUntilSharedPrefix(): Promise<string> {
  for (let round = 0; round < 5; round++) {
    const runs = await Promise.all([1, 2, 3, 4].map(() => home.start(['--', 'true'])));
    const seen = new Set<string>();
    for (const { id } of runs) {
      const p = id.slice(0, 8);
      if (seen.has(p)) return p;
      seen.add(p);
    }
  }
  throw new Error('no two runs shared an 8-character id prefix');
}

describe('bad flag values are usage errors (exit 2)', () => {
  it('bad durations', async () => {
    await expectError(['run', '--timeout', '5 parsecs', '--', 'true'], 'USAGE', 2, /--timeout: "5 parsecs" is not a duration/);
    await expectError(['stop', sleeper.id, '--grace', 'soon'], 'USAGE', 2, /--grace/);
    await expectError(['events', '--since', 'yesterday'], 'USAGE', 2, /--since/);
    await expectError(['replay', '--at', 'someday'], 'USAGE', 2, /--at/);
  });

  it('bad regex, signal, port, choice, key=value, status, event type', async () => {
    await expectError(['run', '--ready-line', '([', '--', 'true'], 'USAGE', 2, /--ready-line: invalid regular expression/);
    await expectError(['run', '--stop-signal', 'SIGNOPE', '--', 'true'], 'USAGE', 2, /--stop-signal/);
    await expectError(['run', '--ready-port', '70000', '--', 'true'], 'USAGE', 2, /--ready-port/);
    await expectError(['run', '--restart', 'sometimes', '--', 'true'], 'USAGE', 2, /sometimes/);
    await expectError(['run', '--env', 'NOVALUE', '--', 'true'], 'USAGE', 2, /--env: expected KEY=VALUE/);
    await expectError(['ps', '--status', 'sleeping'], 'USAGE', 2, /--status/);
    await expectError(['events', '--type', 'RunExploded'], 'USAGE', 2, /unknown event type "RunExploded"/);
  });

  it('missing or contradictory arguments', async () => {
    await expectError(['run'], 'USAGE', 2, /run needs a command/);
    await expectError(['show'], 'USAGE', 2, /missing required argument/);
    await expectError(['stop'], 'USAGE', 2, /exactly one of/);
    await expectError(['interrupt'], 'USAGE', 2, /needs a scope/);
    await expectError(['logs', sleeper.id, '--stdout', '--stderr'], 'USAGE', 2);
    await expectError(['replay'], 'USAGE', 2, /--at/);
    await expectError(['ps', '--bogus'], 'USAGE', 2, /unknown option/);
    await expectError(['frobnicate'], 'USAGE', 2, /unknown command/);
  });
});

describe('config errors', () => {
  it('missing config', async () => {
    await expectError(['run', '-t', 'web', '--config', join(dir, 'nope.json')], 'CONFIG_NOT_FOUND', 1, /nope\.json/);
    await expectError(['run', '-t', 'web'], 'CONFIG_NOT_FOUND', 1, /runledger\.config\.json/, '/');
  });

  it('invalid config names the file, the path and what was expected', async () => {
    await expectError(
      ['run', '-t', 'web', '--config', join(dir, 'invalid.json')],
      'INVALID_CONFIG',
      1,
      /invalid\.json: templates\.web\.timeout: /,
    );
  });

  it('unknown template, missing binding', async () => {
    await expectError(['run', '-t', 'api'], 'TEMPLATE_NOT_FOUND', 1, /no template "api"/, dir);
    await expectError(['run', '--batch', 'all'], 'TEMPLATE_NOT_FOUND', 1, /no batch "all"/, dir);
    await expectError(['run', '-t', 'web'], 'USAGE', 2, /\{\{port\}\}.*--bind port=/, dir);
  });
});

describe('refused by the daemon', () => {
  // A cwd that is not a directory is no refusal any more: it is a recorded failed spawn (test/cli/everyday.test.ts).
  it('a busy slot, a terminal run', async () => {
    await expectError(['run', '--ready-timeout', '5s', '--', 'true'], 'USAGE', 2, /needs a ready check/);
    await expectError(['run', '--slot', 'busy', '--', 'true'], 'SLOT_BUSY', 1, new RegExp(sleeper.shortId));
    const ended = (await home.json<{ runs: { id: string }[] }>(['ps', '--status', 'completed'])).runs[0]!;
    await expectError(['restart', ended.id], 'RUN_TERMINAL', 1);
  });
});
