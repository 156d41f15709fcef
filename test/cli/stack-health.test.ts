/**
 * A stack's `health:` block reaches the run spec and `dependsOn: healthy` waits for a passing probe
 * (not merely for ready): the worker starts only after the web process's exec probe passed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Home, waitUntil } from './helpers.js';

const homes: Home[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('dependsOn healthy: the dependent starts after the first passing probe (HealthCheckPassed, or HealthRecovered after failures)', async () => {
  const home = new Home();
  homes.push(home);
  const dir = mkdtempSync(join(tmpdir(), 'rl-stack-health-'));
  dirs.push(dir);
  const flag = join(dir, 'healthy-now');
  writeFileSync(
    join(dir, 'runledger.yaml'),
    `processes:
  web:
    command: sleep
    args: ["600"]
    health: { exec: [test, -e, ${flag}], interval: 200ms }
  worker:
    command: sleep
    args: ["600"]
    dependsOn: { web: healthy }
`,
  );
  const up = home.cli(['up', '--timeout', '60'], { cwd: dir, timeoutMs: 90_000 });
  const events = async () => {
    const r = await home.cli(['events', '--json']);
    return r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; position: number; data: any });
  };
  await waitUntil(async () => (await events()).some((e) => e.type === 'DependencyWaiting'), 'the worker to wait for web', 400);
  expect((await events()).filter((e) => e.type === 'RunRequested').map((e) => e.data.spec.name)).toEqual(['web']);
  writeFileSync(flag, '');
  const r = await up;
  expect(r.code, r.stderr).toBe(0);
  const all = await events();
  const web = all.find((e) => e.type === 'RunRequested' && e.data.spec.name === 'web')!;
  expect(web.data.spec.health).toMatchObject({ exec: { command: 'test' }, intervalMs: 200 });
  // Probes that failed before the file existed may have crossed the threshold first: then the pass is a recovery.
  const passed = all.find((e) => e.type === 'HealthCheckPassed' || e.type === 'HealthRecovered')!;
  const worker = all.find((e) => e.type === 'RunRequested' && e.data.spec.name === 'worker')!;
  expect(passed.position).toBeLessThan(worker.position);
}, 120_000);
