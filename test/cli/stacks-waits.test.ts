/**
 * Dependency waits end to end: a deadline (a bare number is seconds) that
 * names the blocking process, and an `up` that goes on in the daemon after
 * the CLI was interrupted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { BIN, Home, waitUntil } from './helpers.js';

const homes: Home[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(yaml: string): { home: Home; dir: string } {
  const home = new Home();
  homes.push(home);
  const dir = mkdtempSync(join(tmpdir(), 'rl-stack-wait-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'runledger.yaml'), yaml);
  return { home, dir };
}

async function eventTypes(home: Home): Promise<{ type: string; data: any }[]> {
  const r = await home.cli(['events', '--json']);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

it('a dependency that is not ready by the deadline stops up with DEPENDENCY_TIMEOUT naming it and its stderr', async () => {
  const { home, dir } = setup(`processes:
  db:
    command: sh
    args: [-c, "echo 'waiting for disk' >&2; sleep 600"]
    ready: { line: "^accepting connections", timeout: 300 }
  api:
    command: sleep
    args: ["600"]
    dependsOn: { db: ready }
`);
  const r = await home.cli(['up', '--timeout', '2'], { cwd: dir, timeoutMs: 60_000 });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/error \[DEPENDENCY_TIMEOUT\]: api was not started: db \(run \w+\) was not ready within 2s \(it is starting\)/);
  expect(r.stderr).toContain('waiting for disk');
  const events = await eventTypes(home);
  expect(events.find((e) => e.type === 'DependencyFailed')!.data).toMatchObject({ process: 'api', dependency: 'db', reason: 'timeout' });
  expect(events.filter((e) => e.type === 'RunRequested').map((e) => e.data.spec.name)).toEqual(['db']);
}, 120_000);

it('Ctrl-C stops the waiting, not the up: the daemon starts the dependent once its dependency completed', async () => {
  const gate = join(tmpdir(), `rl-gate-${process.pid}-${Date.now()}`);
  const { home, dir } = setup(`processes:
  migrate:
    command: sh
    args: [-c, "while [ ! -e ${gate} ]; do sleep 0.1; done"]
  api:
    command: sleep
    args: ["600"]
    dependsOn: { migrate: completed }
`);
  const cli = spawn(process.execPath, [BIN, '--home', home.dir, 'up'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  cli.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
  try {
    await waitUntil(async () => (await eventTypes(home)).some((e) => e.type === 'DependencyWaiting'), 'api to wait for migrate', 600, 100);
    cli.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('stopped waiting; the daemon goes on applying the stack');
    writeFileSync(gate, '');
    await waitUntil(
      async () => (await home.json<{ runs: any[] }>(['ps', '--stack', basename(dir)])).runs.some((r) => r.name === 'api'),
      'the daemon to start api',
      600,
      100,
    );
    const events = await eventTypes(home);
    expect(events.find((e) => e.type === 'StackApplied')!.data.started).toEqual(['migrate', 'api']);
  } finally {
    cli.kill('SIGKILL');
    rmSync(gate, { force: true });
  }
}, 120_000);

it('up --wait answers once every process is ready', async () => {
  const { home, dir } = setup(`processes:
  web:
    command: sh
    args: [-c, "sleep 3; echo listening; sleep 600"]
    ready: { line: "^listening", timeout: 60 }
`);
  const up = await home.json<{ started: string[]; runs: any[] }>(['up', '--wait'], { cwd: dir, timeoutMs: 90_000 });
  up.runs.forEach((r) => home.track(r));
  expect(up.started).toEqual(['web']);
  expect(up.runs.find((r) => r.name === 'web')).toMatchObject({ status: 'running', ready: true });
}, 120_000);

it('a process removed from the file is stopped by the next full up; up NAME brings only NAME and its dependencies', async () => {
  const two = `processes:
  db:
    command: sleep
    args: ["600"]
  api:
    command: sleep
    args: ["601"]
    dependsOn: { db: started }
  cron:
    command: sleep
    args: ["602"]
`;
  const { home, dir } = setup(two);
  const first = await home.json<{ started: string[]; runs: any[] }>(['up', 'api'], { cwd: dir });
  first.runs.forEach((r) => home.track(r));
  expect(first.started).toEqual(['db', 'api']);
  const all = await home.json<{ started: string[]; runs: any[] }>(['up'], { cwd: dir });
  all.runs.forEach((r) => home.track(r));
  expect(all.started).toEqual(['cron']);
  writeFileSync(join(dir, 'runledger.yaml'), two.replace(/\n {2}cron:[\s\S]*$/, '\n'));
  const after = await home.json<{ stopped: string[]; started: string[] }>(['up'], { cwd: dir });
  expect(after).toMatchObject({ stopped: ['cron'], started: [] });
  const ps = await home.json<{ runs: any[] }>(['ps', '--stack', basename(dir)]);
  expect(ps.runs.map((r) => r.name).sort()).toEqual(['api', 'db']);
}, 120_000);
