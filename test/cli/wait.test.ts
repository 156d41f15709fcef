/**
 * Issue 12, waiting from the CLI as scripts do: `runledger wait ID… --for
 * ready|exit|healthy [--timeout D]` and `run --wait-ready`, against the built
 * binary and a real daemon. Exit codes: 0 reached, the child's code for
 * `--for exit`, 124 on timeout, 1 with NEVER_READY (readiness error and
 * stderr tail) when the run ended without reaching the condition.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, Home } from './helpers.js';

const READY_AFTER = join(FIXTURES, 'ready-after.mjs');
const EXIT_WITH = join(FIXTURES, 'exit-with-code.mjs');
const FAIL_AFTER = join(FIXTURES, 'fail-after.mjs');

let home: Home;
beforeAll(() => {
  home = new Home();
});
afterAll(async () => {
  await home.cleanup();
});

describe('runledger wait', () => {
  it('--for ready returns 0 once the ready line came, and --json prints the run', async () => {
    const run = await home.start(['--ready-line', 'UP', '--', 'node', READY_AFTER, '400', 'UP']);
    expect(run.status).toBe('starting');
    const r = await home.cli(['--json', 'wait', run.shortId, '--for', 'ready', '--timeout', '20']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runs).toHaveLength(1);
    expect(out.runs[0]).toMatchObject({ id: run.id, status: 'running', ready: true });
  });

  it('--for healthy without a health check behaves like ready', async () => {
    const run = await home.start(['--ready-line', 'UP', '--', 'node', READY_AFTER, '300', 'UP']);
    const r = await home.cli(['wait', run.shortId, '--for', 'healthy', '--timeout', '20']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('--for healthy with a health check waits for a passing probe (124 before it passes, 0 after)', async () => {
    const flag = join(home.dir, 'healthy-now');
    const run = await home.start(['--health-cmd', `test -e ${flag}`, '--health-interval', '200ms', '--', 'sleep', '600']);
    const early = await home.cli(['wait', run.shortId, '--for', 'healthy', '--timeout', '1']);
    expect(early.code, early.stderr).toBe(124);
    writeFileSync(flag, '');
    const r = await home.cli(['--json', 'wait', run.shortId, '--for', 'healthy', '--timeout', '30']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).runs[0]).toMatchObject({ id: run.id, health: 'healthy' });
  });

  it("--for exit exits with the child's exit code", async () => {
    const run = await home.start(['--', 'node', EXIT_WITH, '7']);
    const r = await home.cli(['wait', run.id, '--for', 'exit']);
    expect(r.code, r.stderr).toBe(7);
  });

  it('--for exit with several ids: the first non-zero code in the order given', async () => {
    const ok = await home.start(['--', 'node', EXIT_WITH, '0']);
    const five = await home.start(['--', 'node', EXIT_WITH, '5']);
    const six = await home.start(['--', 'node', EXIT_WITH, '6']);
    expect((await home.cli(['wait', ok.id, six.id, five.id])).code).toBe(6);
    const r = await home.cli(['--json', 'wait', ok.id, five.id, six.id, '--for', 'exit']);
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout).runs.map((x: any) => x.exitCode)).toEqual([0, 5, 6]);
  });

  it('a timeout exits 124 with WAIT_TIMEOUT, and the run goes on', async () => {
    const run = await home.start(['--', 'sleep', '600']);
    const r = await home.cli(['wait', run.id, '--for', 'exit', '--timeout', '500ms']);
    expect(r.code).toBe(124);
    expect(r.stderr).toMatch(/^runledger: waiting for .*\nerror \[WAIT_TIMEOUT\]: /);
    expect(r.stderr).toContain(run.shortId);
    expect((await home.json(['show', run.id])).run.status).toBe('running');
  });

  it('a run that ended before it was ready is NEVER_READY, with the readiness error and the stderr tail', async () => {
    const run = await home.start(['--ready-line', 'UP', '--', 'node', FAIL_AFTER, '100', '3', 'boom: cannot bind']);
    const r = await home.cli(['wait', run.shortId, '--for', 'ready', '--timeout', '20']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[NEVER_READY\]: /m);
    expect(r.stderr).toMatch(/exited before ready|exited with code 3/);
    expect(r.stderr).toContain('boom: cannot bind');
    const json = await home.cli(['--json', 'wait', run.shortId, '--for', 'ready']);
    expect(json.code).toBe(1);
    const error = JSON.parse(json.stderr.trim().split('\n').pop()!).error;
    expect(error.code).toBe('NEVER_READY');
    expect(error.details.stderrTail).toContain('boom: cannot bind');
  });

  it('bad --for and --timeout values are usage errors', async () => {
    const run = await home.start(['--', 'sleep', '600']);
    const bad = await home.cli(['wait', run.id, '--for', 'lunch']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--for');
    const t = await home.cli(['wait', run.id, '--timeout', '5 minutes']);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/error \[USAGE\]: --timeout/);
    expect((await home.cli(['wait'])).code).toBe(2);
  });
});

describe('run --wait-ready', () => {
  it('returns 0 printing the id once the run is ready', async () => {
    const r = await home.cli(['run', '--wait-ready', '--ready-line', 'UP', '--', 'node', READY_AFTER, '400', 'UP']);
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^[0-9a-z]{7}$/);
    const shown = await home.json(['show', id]);
    home.track(shown.run);
    expect(shown.run).toMatchObject({ status: 'running', ready: true });
  });

  it('a run without a ready check is ready once spawned', async () => {
    const r = await home.cli(['run', '--wait-ready', '--', 'sleep', '600']);
    expect(r.code, r.stderr).toBe(0);
    home.track((await home.json(['show', r.stdout.trim()])).run);
  });

  it('fails with the readiness error and the stderr tail when the run exits first', async () => {
    const r = await home.cli(['run', '--wait-ready', '--ready-line', 'UP', '--', 'node', FAIL_AFTER, '100', '4', 'boom: port taken']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error \[NEVER_READY\]: /);
    expect(r.stderr).toContain('boom: port taken');
  });

  it('fails when the ready check times out, naming the deadline', async () => {
    const r = await home.cli(['run', '--wait-ready', '--ready-line', 'NEVER', '--ready-timeout', '1', '--', 'sleep', '600']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error \[NEVER_READY\]: [\s\S]*readiness: not ready within (1s|1000ms)/);
  });

  it('--wait-ready and --wait together are a usage error', async () => {
    const r = await home.cli(['run', '--wait-ready', '--wait', '--', 'true']);
    expect(r.code).toBe(2);
  });
});
