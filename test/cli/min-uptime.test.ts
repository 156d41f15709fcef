/** `run --min-uptime`: the CLI flag reaches the recorded spec (dry run: no daemon is started). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const home = mkdtempSync(join(tmpdir(), 'rl-minup-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const env = { RUNLEDGER_HOME: home };

describe('run --min-uptime', () => {
  it('sets restart.minUptimeMs in the spec; the default is 10s', async () => {
    const set = await runCli(['run', '--dry-run', '--json', '--restart', 'always', '--min-uptime', '2m', '--', 'sleep', '1'], { env });
    expect(JSON.parse(set.stdout).runs[0].spec.restart).toMatchObject({ policy: 'always', minUptimeMs: 120_000 });
    const dflt = await runCli(['run', '--dry-run', '--json', '--', 'sleep', '1'], { env });
    expect(JSON.parse(dflt.stdout).runs[0].spec.restart).toMatchObject({ policy: 'never', minUptimeMs: 10_000 });
  });

  it('alone it changes no policy; a bad duration is a usage error', async () => {
    const alone = await runCli(['run', '--dry-run', '--json', '--min-uptime', '500ms', '--', 'sleep', '1'], { env });
    expect(JSON.parse(alone.stdout).runs[0].spec.restart).toMatchObject({ policy: 'never', minUptimeMs: 500 });
    const bad = await runCli(['run', '--dry-run', '--min-uptime', 'soon', '--', 'sleep', '1'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--min-uptime');
  });
});
