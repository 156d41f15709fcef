/**
 * `runledger ui` and what it serves besides the page, through the built CLI
 * and a real daemon: the URL (`--json` gives `{ url }`), /metrics with the
 * token as a bearer token (valid for `promtool check metrics`, carrying the
 * real CPU time of a busy child), and CPU/memory in `ps` and `show` (the
 * peak recorded in the exit event). Both tracking modes: cgroup accounting
 * and the /proc sum over the tree.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, Home, waitUntil } from './helpers.js';

const PROMTOOL = '/usr/bin/promtool';
const homes: Home[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The value of the first sample line of `name` whose labels contain `labels`. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe.each([
  ['cgroup accounting (auto)', 'auto'],
  ['the /proc sum over the tree', 'pgroup'],
])('ui, metrics and usage with %s', (_label, tracking) => {
  const env = { RUNLEDGER_TRACKING: tracking };

  it('ui --json prints the URL once started; /metrics needs the token, passes promtool and carries a busy child’s CPU time', async () => {
    const home = new Home();
    homes.push(home);
    const busy = await home.start(
      ['--name', 'busy', '--label', 'runledger.stack=bench', '--', process.execPath, join(FIXTURES, 'spin-cpu.mjs'), '1000'],
      {
        env,
      },
    );
    await waitUntil(async () => (await home.cli(['logs', busy.id])).stdout.includes('SPUN'), 'the child to burn 1 s of CPU', 600);

    const ui = await home.json<{ url: string; port: number; started: boolean }>(['ui', '--no-open'], { env });
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    expect(ui.started).toBe(true);
    const again = await home.json<{ url: string; started: boolean }>(['ui', '--no-open']);
    expect(again).toMatchObject({ url: ui.url, started: false });
    const moved = await home.cli(['ui', '--no-open', '--port', String(ui.port === 65535 ? 65534 : ui.port + 1)]);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain('UI_PORT_UNAVAILABLE');

    const token = new URL(ui.url).searchParams.get('token')!;
    const metricsUrl = `http://127.0.0.1:${ui.port}/metrics`;
    expect((await get(metricsUrl)).status).toBe(401);
    expect((await get(metricsUrl, { authorization: 'Bearer nope' })).status).toBe(401);
    const scraped = await get(metricsUrl, { authorization: `Bearer ${token}` });
    expect(scraped.status).toBe(200);
    const labels = 'name="busy",stack="bench",slot=""';
    expect(sample(scraped.body, 'runledger_run_cpu_seconds_total', labels)).toBeGreaterThanOrEqual(0.5);
    expect(sample(scraped.body, 'runledger_run_memory_bytes', labels)).toBeGreaterThan(1024 * 1024);
    expect(sample(scraped.body, 'runledger_runs', 'status="running"')).toBe(1);
    expect(scraped.body).toMatch(/^runledger_ledger_append_duration_seconds_bucket\{le="\+Inf"\} [1-9]/m);
    expect(scraped.body).toMatch(/^runledger_daemon_resident_memory_bytes [1-9]/m);
    expect(scraped.body).not.toContain('run_id=');
    if (existsSync(PROMTOOL)) {
      const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: scraped.body, encoding: 'utf8' });
      expect(check.stderr + check.stdout).toBe('');
      expect(check.status).toBe(0);
    }

    // Run ids as labels only when asked for.
    await home.json(['ui', '--no-open', '--metrics-run-ids']);
    const withIds = await get(metricsUrl, { authorization: `Bearer ${token}` });
    expect(sample(withIds.body, 'runledger_run_cpu_seconds_total', `run_id="${busy.id}"`)).toBeGreaterThanOrEqual(0.5);

    // ps: CPU% and RSS of live runs; --json carries the numbers.
    const ps = await home.cli(['ps']);
    expect(ps.stdout.split('\n')[0]).toMatch(/PID\s+CPU%\s+RSS\s+TIME/);
    expect(ps.stdout).toMatch(/busy\s+running\s+\d+\s+\d+\.\d\s+\d+\.\dMiB/);
    const listed = await home.json(['ps']);
    expect(listed.usage[busy.id]).toMatchObject({ attempt: 1, source: tracking === 'auto' ? 'cgroup' : 'proc' });
    expect(listed.usage[busy.id].rssBytes).toBeGreaterThan(0);

    // show: the totals now, then the peak RSS and CPU time recorded in the exit event.
    expect((await home.cli(['show', busy.id])).stdout).toMatch(/usage\s+cpu \d+\.\d\ds, peak rss \d+\.\dMiB, now/);
    await home.json(['stop', busy.id]);
    const shown = await home.json(['show', busy.id]);
    const usage = shown.run.attempts[0].usage;
    expect(usage.cpuSeconds).toBeGreaterThanOrEqual(0.5);
    expect(usage.peakRssBytes).toBeGreaterThan(1024 * 1024);
    const exited = (await home.cli(['events', '--run', busy.id, '--type', 'ProcessExited', '--json'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(exited[0].data.usage).toEqual(usage);
    expect((await home.cli(['show', busy.id])).stdout).toMatch(/CPU\s+PEAK RSS[\s\S]*\d+\.\d\ds\s+\d+\.\dMiB/);
  }, 120_000);
});

describe('ui without a display', () => {
  it('prints the URL and does not try to open a browser', async () => {
    const home = new Home();
    homes.push(home);
    const r = await home.cli(['ui'], { env: { DISPLAY: '', WAYLAND_DISPLAY: '' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(r.stdout).toContain('open it in a browser');
    const help = execFileSync(process.execPath, [join(FIXTURES, '..', 'bin', 'runledger.cjs'), 'ui', '--help'], { encoding: 'utf8' });
    expect(help).toContain('--no-open');
    expect(help).toContain('--port <n>');
  }, 60_000);
});
