/**
 * Stacks end to end: the built CLI, a real daemon, real processes. Order is
 * proven from the ledger's positions, never from timing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, freePort, Home } from './helpers.js';

const homes: Home[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(): { home: Home; dir: string } {
  const home = new Home();
  homes.push(home);
  const dir = mkdtempSync(join(tmpdir(), 'rl-stack-'));
  dirs.push(dir);
  return { home, dir };
}

interface Ev {
  position: number;
  type: string;
  streamId: string;
  data: any;
}

async function events(home: Home): Promise<Ev[]> {
  const r = await home.cli(['events', '--json']);
  expect(r.code).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Ev);
}

function stackFile(port: number, workerArgs: string): string {
  return `name: shop
processes:
  migrate:
    command: sh
    args: [-c, "sleep 0.5; echo migrated"]
  web:
    command: [node, ${join(FIXTURES, 'listen-port.mjs')}, "${port}"]
    ready: { port: ${port}, timeout: 30 }
    dependsOn: { migrate: completed }
  worker:
    command: sleep
    args: ["${workerArgs}"]
    dependsOn: { web: ready }
    grace: 5
`;
}

describe('runledger up / down', () => {
  it('brings web, worker and a migration up in order; up twice starts nothing; an edit restarts only that process; down reverses', async () => {
    const { home, dir } = setup();
    const port = await freePort();
    writeFileSync(join(dir, 'runledger.yaml'), stackFile(port, '600'));

    const up = await home.json<{ started: string[]; runs: any[] }>(['up'], { cwd: dir });
    up.runs.forEach((r) => home.track(r));
    expect(up.started).toEqual(['migrate', 'web', 'worker']);

    let log = await events(home);
    const runOf = (name: string) => log.find((e) => e.type === 'RunRequested' && e.data.spec.name === name)!.streamId;
    const pos = (type: string, stream: string) => log.find((e) => e.type === type && e.streamId === stream)!.position;
    const [migrate, web, worker] = ['migrate', 'web', 'worker'].map(runOf) as [string, string, string];
    // The migration ended completed before web was requested; web was ready before worker was requested.
    expect(log.find((e) => e.streamId === migrate && e.type === 'RunEnded')!.data.status).toBe('completed');
    expect(pos('RunEnded', migrate)).toBeLessThan(pos('RunRequested', web));
    expect(pos('ProcessReady', web)).toBeLessThan(pos('RunRequested', worker));
    const satisfied = log
      .filter((e) => e.type === 'DependencySatisfied')
      .map((e) => `${e.data.process}<-${e.data.dependency}:${e.data.condition}`);
    expect(satisfied).toEqual(['web<-migrate:completed', 'worker<-web:ready']);
    expect(log.filter((e) => e.type === 'StackApplied')).toHaveLength(1);

    // `up` again: nothing appended at all.
    const head = log.length;
    const again = await home.json<{ started: string[]; unchanged: string[] }>(['up'], { cwd: dir });
    expect(again.started).toEqual([]);
    expect(again.unchanged).toEqual(['migrate', 'web', 'worker']);
    log = await events(home);
    expect(log).toHaveLength(head);

    // Edit the worker's command: only the worker is restarted (a new run); web and the migration are untouched.
    writeFileSync(join(dir, 'runledger.yaml'), stackFile(port, '601'));
    const edited = await home.json<{ restarted: string[]; started: string[]; runs: any[] }>(['up'], { cwd: dir });
    edited.runs.forEach((r) => home.track(r));
    expect(edited.restarted).toEqual(['worker']);
    expect(edited.started).toEqual([]);
    log = await events(home);
    const requested = log.filter((e) => e.type === 'RunRequested').map((e) => e.data.spec.name);
    expect(requested).toEqual(['migrate', 'web', 'worker', 'worker']);
    expect(log.filter((e) => e.type === 'StopRequested').map((e) => e.streamId)).toEqual([worker]);
    const newWorker = log.filter((e) => e.type === 'RunRequested').at(-1)!.streamId;

    // ps --stack lists the stack's runs.
    const ps = await home.json<{ runs: any[] }>(['ps', '--stack', 'shop']);
    expect(ps.runs.map((r) => r.name).sort()).toEqual(['web', 'worker']);

    // down: the worker has ended before web is asked to stop; the completed migration is left alone.
    const down = await home.json<{ stopped: string[] }>(['down', '--wait'], { cwd: dir });
    expect(down.stopped).toEqual(['worker', 'web']);
    log = await events(home);
    expect(pos('RunEnded', newWorker)).toBeLessThan(pos('StopRequested', web));
    expect((await home.json<{ runs: any[] }>(['ps', '--stack', 'shop'])).runs).toEqual([]);
  }, 120_000);

  it('a dependency that fails names the blocking process and its last stderr lines; what depends on it never starts', async () => {
    const { home, dir } = setup();
    writeFileSync(
      join(dir, 'runledger.yaml'),
      `processes:
  migrate:
    command: sh
    args: [-c, "echo 'relation users does not exist' >&2; exit 3"]
  api:
    command: sleep
    args: ["600"]
    dependsOn: { migrate: completed }
`,
    );
    const r = await home.cli(['up'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [DEPENDENCY_FAILED]: api was not started: migrate');
    expect(r.stderr).toContain('failed (exit 3)');
    expect(r.stderr).toContain('relation users does not exist');
    const log = await events(home);
    expect(log.filter((e) => e.type === 'RunRequested').map((e) => e.data.spec.name)).toEqual(['migrate']);
    const failed = log.find((e) => e.type === 'DependencyFailed')!;
    expect(failed.data).toMatchObject({ process: 'api', dependency: 'migrate', reason: 'ended' });
    expect(failed.data.stderrTail).toEqual(['relation users does not exist']);
  }, 120_000);

  it('a Procfile is a stack (each line through the shell)', async () => {
    const { home, dir } = setup();
    writeFileSync(join(dir, 'Procfile'), '# two processes\nweb: echo "hi from web" && sleep 600\nclock: sleep 600\n');
    const up = await home.json<{ stack: string; started: string[]; runs: any[] }>(['up'], { cwd: dir });
    up.runs.forEach((r) => home.track(r));
    expect(up.started).toEqual(['web', 'clock']);
    expect(up.stack).toMatch(/^rl-stack-/);
    const web = up.runs.find((r) => r.name === 'web');
    expect(web.args).toEqual([]);
    expect(web.labels).toMatchObject({ 'runledger.stack': up.stack, 'runledger.process': 'web' });
    const down = await home.json<{ stopped: string[] }>(['down', '--wait'], { cwd: dir });
    expect(down.stopped.sort()).toEqual(['clock', 'web']);
  }, 120_000);
});

describe('replicas and the published schema', () => {
  it('replicas: N runs NAME.1 … NAME.N, and a dependency on NAME waits for each', async () => {
    const { home, dir } = setup();
    writeFileSync(
      join(dir, 'runledger.json'),
      JSON.stringify({
        name: 'pool',
        processes: {
          worker: { command: ['sleep', '600'], replicas: 2 },
          boss: { command: 'sleep', args: ['600'], dependsOn: { worker: 'started' } },
        },
      }),
    );
    const up = await home.json<{ started: string[]; runs: any[] }>(['up'], { cwd: dir });
    up.runs.forEach((r) => home.track(r));
    expect(up.started).toEqual(['worker.1', 'worker.2', 'boss']);
    const log = await events(home);
    const satisfied = log.filter((e) => e.type === 'DependencySatisfied').map((e) => `${e.data.process}<-${e.data.dependency}`);
    expect(satisfied).toEqual(['boss<-worker.1', 'boss<-worker.2']);
    expect((await home.json<{ stopped: string[] }>(['down', '--wait'], { cwd: dir })).stopped).toEqual(['boss', 'worker.2', 'worker.1']);
  }, 120_000);

  it('runledger schema stack prints the JSON Schema editors can use', async () => {
    const { home } = setup();
    const r = await home.cli(['schema', 'stack']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(
      Object.values<any>(schema.properties.processes.patternProperties)[0].properties.dependsOn.patternProperties['^(.*)$'].anyOf.map(
        (x: any) => x.const,
      ),
    ).toEqual(['started', 'ready', 'healthy', 'completed']);
  });
});

describe('a broken stack file is refused at load with file, line and path', () => {
  it('names the line and the path of a wrong condition', async () => {
    const { home, dir } = setup();
    writeFileSync(
      join(dir, 'runledger.yaml'),
      'processes:\n  web:\n    command: sleep\n    args: ["1"]\n  worker:\n    command: sleep\n    dependsOn:\n      web: redy\n',
    );
    const r = await home.cli(['up'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'error [INVALID_STACK]: runledger.yaml:8 processes.worker.dependsOn.web: expected started|ready|healthy|completed',
    );
    expect(home.daemonPid()).toBeNull();
  });

  it('names the cycle', async () => {
    const { home, dir } = setup();
    writeFileSync(
      join(dir, 'runledger.yaml'),
      'processes:\n  a:\n    command: sleep\n    dependsOn: { b: started }\n  b:\n    command: sleep\n    dependsOn: { c: ready }\n  c:\n    command: sleep\n    dependsOn: { a: started }\n',
    );
    const r = await home.cli(['up', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const err = JSON.parse(r.stdout || r.stderr).error;
    expect(err.code).toBe('INVALID_STACK');
    expect(err.message).toBe('runledger.yaml:4 dependency cycle: a -> b -> c -> a');
  });

  it('says when there is no stack file here or above', async () => {
    const { home, dir } = setup();
    const r = await home.cli(['up'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [STACK_NOT_FOUND]');
  });
});
