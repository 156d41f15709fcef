/**
 * Health checks end to end (issue 13): the built CLI, a real daemon, real
 * probes against real fixtures. A fixture's health turns bad when a file
 * exists; tests wait for handshakes (events, the fixture's count of probes
 * served), never for wall-clock time.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, Home, waitUntil } from './helpers.js';

// Several probes, restarts and daemon starts per test on a shared 2-core machine: it only bounds a hang.
const TEST_MS = 120_000;
const WAIT_TRIES = 600; // x 50 ms = 30 s per handshake

let home: Home;
let dir: string;
beforeEach(() => {
  home = new Home();
  dir = mkdtempSync(join(tmpdir(), 'rl-health-'));
});
afterEach(async () => {
  await home.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

type Ev = { position: number; type: string; data: any };

async function eventsOf(runId: string): Promise<Ev[]> {
  const r = await home.cli(['events', '--json', '--run', runId]);
  expect(r.code).toBe(0);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Ev);
}

async function waitForEvent(runId: string, pred: (e: Ev) => boolean, what: string): Promise<Ev> {
  let found: Ev | undefined;
  await waitUntil(async () => (found = (await eventsOf(runId)).find(pred)) !== undefined, what, WAIT_TRIES);
  return found!;
}

async function view(runId: string): Promise<any> {
  return (await home.json<{ run: any }>(['show', runId])).run;
}

function probesServed(countFile: string): number {
  return existsSync(countFile) ? Number(readFileSync(countFile, 'utf8')) : 0;
}

async function startWeb(extra: string[] = []): Promise<{ run: any; failFile: string; countFile: string }> {
  const port = await freePort();
  const failFile = join(dir, 'fail');
  const countFile = join(dir, 'count');
  const run = await home.start([
    '--name',
    'web',
    '--ready-port',
    String(port),
    '--health-http',
    `http://127.0.0.1:${port}/health`,
    '--health-interval',
    '200ms',
    '--health-timeout',
    '5s',
    '--health-retries',
    '3',
    ...extra,
    '--',
    'node',
    join(FIXTURES, 'health-server.mjs'),
    String(port),
    failFile,
    countFile,
  ]);
  return { run, failFile, countFile };
}

describe('health checks', () => {
  it(
    'an HTTP health endpoint that starts failing: unhealthy, restarted with the evidence recorded, then healthy again',
    async () => {
      const { run, failFile, countFile } = await startWeb(['--restart', 'always']);
      await waitForEvent(run.id, (e) => e.type === 'HealthCheckPassed', 'the first passing probe');
      expect((await view(run.id)).health).toBe('healthy');

      writeFileSync(failFile, '');
      const failed = await waitForEvent(run.id, (e) => e.type === 'HealthCheckFailed', 'the health failure');
      expect(failed.data).toMatchObject({ attempt: 1, probe: 'http', consecutiveFailures: 3, failureThreshold: 3 });
      expect(failed.data.evidence.status).toBe(500);
      expect(failed.data.evidence.output.join('\n')).toContain(`unhealthy: ${failFile} exists`);
      const restart = await waitForEvent(run.id, (e) => e.type === 'RestartScheduled', 'the restart');
      expect(restart.data.reason).toMatch(/^stopped \(unhealthy\)/);
      const all = await eventsOf(run.id);
      const stop = all.find((e) => e.type === 'StopRequested')!;
      expect(stop.data.reason).toBe('unhealthy');
      // The why comes before the stop, and the stop before the restart.
      expect(failed.position).toBeLessThan(stop.position);
      expect(stop.position).toBeLessThan(restart.position);
      const show = await home.cli(['show', run.id]);
      expect(show.stdout).toMatch(/unhealthy: 3 http probes failed in a row \(threshold 3\): HTTP 500/);

      rmSync(failFile);
      const recovered = await waitForEvent(run.id, (e) => e.type === 'HealthRecovered', 'the recovery');
      expect(recovered.data.attempt).toBeGreaterThanOrEqual(2);
      const after = await view(run.id);
      expect(after).toMatchObject({ status: 'running', health: 'healthy' });
      expect(after.restarts).toBeGreaterThanOrEqual(1);
      const ps = await home.cli(['ps']);
      expect(ps.stdout).toMatch(/HEALTH/);
      // The HEALTH cell of this run's row (columns found by the header: CPU%/RSS may come before it).
      const [header, ...rows] = ps.stdout.trimEnd().split('\n');
      const row = rows.find((r) => r.startsWith(run.shortId))!;
      expect(row.slice(header!.indexOf('HEALTH')).split(/\s+/)[0]).toBe('healthy');
    },
    TEST_MS,
  );

  it(
    'only changes of state are appended: many passing probes, no event',
    async () => {
      const { run, countFile } = await startWeb();
      await waitForEvent(run.id, (e) => e.type === 'HealthCheckPassed', 'the first passing probe');
      const before = (await home.ledger()).head;
      const served = probesServed(countFile);
      await waitUntil(() => probesServed(countFile) >= served + 10, '10 more probes', WAIT_TRIES);
      expect((await home.ledger()).head).toBe(before);
      expect((await eventsOf(run.id)).filter((e) => e.type.startsWith('Health'))).toHaveLength(1);
    },
    TEST_MS,
  );

  it(
    'a TCP probe: healthy while the port accepts; unhealthy with the connect error when nothing listens (policy never: kept running)',
    async () => {
      const port = await freePort();
      // Probes begin once it is ready (a listener takes a moment to start): no failure is counted before.
      const up = await home.start([
        '--ready-line',
        '^LISTENING',
        '--health-tcp',
        `127.0.0.1:${port}`,
        '--health-interval',
        '200ms',
        '--',
        'node',
        join(FIXTURES, 'listen-port.mjs'),
        String(port),
      ]);
      const passed = await waitForEvent(up.id, (e) => e.type === 'HealthCheckPassed', 'the tcp probe passing');
      expect(passed.data.probe).toBe('tcp');

      const nobody = await freePort();
      const down = await home.start([
        '--health-tcp',
        String(nobody),
        '--health-interval',
        '200ms',
        '--health-retries',
        '2',
        '--',
        'sleep',
        '600',
      ]);
      const failed = await waitForEvent(down.id, (e) => e.type === 'HealthCheckFailed', 'the tcp probe failing');
      expect(failed.data).toMatchObject({ probe: 'tcp', consecutiveFailures: 2 });
      expect(failed.data.evidence.error).toMatch(/ECONNREFUSED/);
      expect(await view(down.id)).toMatchObject({ status: 'running', health: 'unhealthy' });
      expect((await eventsOf(down.id)).some((e) => e.type === 'StopRequested')).toBe(false);
      const ps = await home.cli(['ps']);
      expect(ps.stdout).toMatch(/unhealthy/);
    },
    TEST_MS,
  );

  it(
    'an exec probe: its exit code and output are the evidence; passing again recovers',
    async () => {
      const failFile = join(dir, 'exec-fail');
      writeFileSync(failFile, '');
      const run = await home.start([
        '--health-cmd',
        `node ${join(FIXTURES, 'health-check.mjs')} ${failFile}`,
        '--health-interval',
        '200ms',
        '--health-retries',
        '2',
        '--restart',
        'on-failure',
        '--',
        'sleep',
        '600',
      ]);
      const failed = await waitForEvent(run.id, (e) => e.type === 'HealthCheckFailed', 'the exec probe failing');
      expect(failed.data).toMatchObject({ probe: 'exec', consecutiveFailures: 2 });
      expect(failed.data.evidence).toMatchObject({ exitCode: 1, output: [`not ok: ${failFile} exists`] });
      rmSync(failFile);
      const recovered = await waitForEvent(run.id, (e) => e.type === 'HealthRecovered', 'the exec probe passing again');
      expect(recovered.data.evidence.exitCode).toBe(0);
      expect((await view(run.id)).health).toBe('healthy');
    },
    TEST_MS,
  );

  it(
    'a daemon restart keeps the health state (folded from the log) and probes the adopted attempt again',
    async () => {
      const { run, failFile } = await startWeb(['--restart', 'never']);
      await waitForEvent(run.id, (e) => e.type === 'HealthCheckPassed', 'the first passing probe');
      expect((await home.cli(['daemon', 'stop'])).code).toBe(0);
      // No daemon: the CLI folds the ledger itself.
      const offline = await home.json<{ run: any; source: string }>(['show', run.id]);
      expect(offline.run.health).toBe('healthy');
      expect((await home.cli(['daemon', 'start'])).code).toBe(0);
      await waitForEvent(run.id, (e) => e.type === 'ProcessAdopted', 'the adoption');
      expect((await view(run.id)).health).toBe('healthy');

      writeFileSync(failFile, '');
      const failed = await waitForEvent(run.id, (e) => e.type === 'HealthCheckFailed', 'the adopted attempt failing');
      expect(failed.data.attempt).toBe(1);
      expect((await view(run.id)).health).toBe('unhealthy');
      rmSync(failFile);
      await waitForEvent(run.id, (e) => e.type === 'HealthRecovered', 'the recovery');
      const types = (await eventsOf(run.id)).map((e) => e.type).filter((t) => t.startsWith('Health'));
      expect(types).toEqual(['HealthCheckPassed', 'HealthCheckFailed', 'HealthRecovered']);
    },
    TEST_MS,
  );

  it('bad health flags are usage errors naming the flag; a URL with credentials is INVALID_SPEC', async () => {
    const two = await home.cli(['run', '--dry-run', '--health-tcp', '80', '--health-http', 'http://x/', '--', 'sleep', '1']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('one health probe');
    const port = await home.cli(['run', '--dry-run', '--health-tcp', 'db:99999', '--', 'sleep', '1']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--health-tcp');
    const alone = await home.cli(['run', '--dry-run', '--health-retries', '2', '--', 'sleep', '1']);
    expect(alone.code).toBe(2);
    const creds = await home.cli(['run', '--dry-run', '--json', '--health-http', 'http://u:secret@127.0.0.1/h', '--', 'sleep', '1']);
    expect(creds.code).toBe(1);
    expect(JSON.parse(creds.stderr).error).toMatchObject({ code: 'INVALID_SPEC', details: { field: 'health.http.url' } });
    const ok = await home.json([
      'run',
      '--dry-run',
      '--health-cmd',
      `pg_isready -h 'my host'`,
      '--health-interval',
      '2',
      '--',
      'sleep',
      '1',
    ]);
    expect(ok.runs[0].spec.health).toEqual({
      exec: { command: 'pg_isready', args: ['-h', 'my host'] },
      intervalMs: 2000,
      timeoutMs: 5000,
      failureThreshold: 3,
      startPeriodMs: 0,
    });
  });

  it('a config template carries a health check; flags override its probe and keep its tuning', async () => {
    const config = join(dir, 'runledger.config.json');
    const templates = {
      web: { command: 'node', args: ['server.js'], health: { tcp: { port: '{{port}}' }, interval: '30s', failureThreshold: 2 } },
    };
    writeFileSync(config, JSON.stringify({ templates }));
    const plain = await home.json(['run', '--dry-run', '--config', config, '-t', 'web', '--bind', 'port=8080']);
    expect(plain.runs[0].spec.health).toEqual({
      tcp: { port: 8080 },
      intervalMs: 30_000,
      timeoutMs: 5000,
      failureThreshold: 2,
      startPeriodMs: 0,
    });
    const over = await home.json([
      'run',
      '--dry-run',
      '--config',
      config,
      '-t',
      'web',
      '--bind',
      'port=1',
      '--health-http',
      'http://127.0.0.1:1/h',
    ]);
    expect(over.runs[0].spec.health).toMatchObject({ http: { url: 'http://127.0.0.1:1/h' }, intervalMs: 30_000, failureThreshold: 2 });
    expect(over.runs[0].spec.health.tcp).toBeUndefined();
  });
});
