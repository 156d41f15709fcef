/**
 * Issue 12: a bare number is seconds in every duration flag (`--timeout 30`
 * killed a job after 30 ms); `500ms`, `2m` still work; anything that is not
 * a duration is USAGE naming the flag, and never starts a run of its last word.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home } from './helpers.js';

let home: Home;
const dir = mkdtempSync(join(tmpdir(), 'rl-dur-'));
beforeAll(() => {
  home = new Home();
});
afterAll(async () => {
  await home.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const dry = async (args: string[], cwd?: string) =>
  (await home.json<{ runs: { spec: any }[] }>(['run', '--dry-run', ...args], cwd ? { cwd } : {})).runs[0]!.spec;

describe('bare numbers are seconds', () => {
  it('--timeout, --ready-timeout, --grace, --min-uptime', async () => {
    const spec = await dry([
      '--timeout',
      '30',
      '--ready-line',
      'x',
      '--ready-timeout',
      '3',
      '--grace',
      '2',
      '--min-uptime',
      '1.5',
      '--',
      'sleep',
      '1',
    ]);
    expect(spec.timeoutMs).toBe(30_000);
    expect(spec.ready.timeoutMs).toBe(3000);
    expect(spec.graceMs).toBe(2000);
    expect(spec.restart.minUptimeMs).toBe(1500);
  });

  it('units still work', async () => {
    expect((await dry(['--timeout', '500ms', '--', 'true'])).timeoutMs).toBe(500);
    expect((await dry(['--timeout', '2m', '--', 'true'])).timeoutMs).toBe(120_000);
    expect((await dry(['--timeout', '1h30m', '--', 'true'])).timeoutMs).toBe(5_400_000);
  });

  it('a config template gives durations the same way (a number is seconds)', async () => {
    writeFileSync(
      join(dir, 'runledger.config.json'),
      JSON.stringify({ templates: { job: { command: 'true', timeout: 30, grace: '2', ready: { line: 'x', timeout: '500ms' } } } }),
    );
    const spec = await dry(['-t', 'job'], dir);
    expect(spec.timeoutMs).toBe(30_000);
    expect(spec.graceMs).toBe(2000);
    expect(spec.ready.timeoutMs).toBe(500);
  });

  it('events --since 30 means 30 seconds ago', async () => {
    const r = await home.cli(['events', '--since', '30']);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('what is not a duration is USAGE naming the flag, and starts nothing', () => {
  const usage = async (args: string[], pattern: RegExp) => {
    const before = (await home.json(['ps', '--all'])).runs.length;
    const r = await home.cli(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error \[USAGE\]: /);
    expect(r.stderr).toMatch(pattern);
    expect((await home.json(['ps', '--all'])).runs.length).toBe(before);
  };

  it('--timeout 5minutes and --timeout "5 minutes"', async () => {
    await usage(['run', '--timeout', '5minutes', '--', 'sleep', '1'], /--timeout/);
    await usage(['run', '--timeout', '5 minutes', '--', 'sleep', '1'], /--timeout/);
  });

  it('--timeout 5 minutes -- CMD: a stray word before `--`', async () => {
    await usage(['run', '--timeout', '5', 'minutes', '--', 'sleep', '1'], /--timeout 5 minutes: .*--timeout 5m/);
    await usage(['run', '--name', 'web', 'extra', '--', 'sleep', '1'], /"extra" before `--` is not an option/);
  });

  it('--timeout 5 minutes CMD without `--`: a unit word where the command should be', async () => {
    await usage(['run', '--timeout', '5', 'minutes', 'sleep', '1'], /--timeout/);
  });

  it('a command that has its own `--` still runs', async () => {
    const spec = await dry(['--', 'sh', '-c', 'echo "$@"', 'sh', '--', 'x']);
    expect(spec.command).toBe('sh');
    expect(spec.args).toEqual(['-c', 'echo "$@"', 'sh', '--', 'x']);
  });
});
