/**
 * The web UI in real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core) against a real daemon started by the built CLI: the page
 * lists runs, a run started from the CLI appears without a reload (the
 * measured delay is printed), the scrubber shows an ended run as running at
 * an earlier position, logs stream, stopping from the page stops the run,
 * and requests without the token (or from another Host/Origin) are refused.
 * One browser for the file, closed in afterAll.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, Home, ROOT, waitUntil } from '../cli/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const DEADLINE_MS = 20_000;

describe.skipIf(!existsSync(CHROMIUM))('the web UI in headless Chromium', () => {
  const home = new Home();
  const shots = mkdtempSync(join(tmpdir(), 'rl-ui-shots-'));
  const profile = mkdtempSync(join(tmpdir(), 'rl-ui-profile-'));
  let browser: BrowserContext;
  let page: Page;
  let url: string;
  let port: number;
  let ticker: { id: string };
  let ended: { id: string };
  /** Script errors and console errors (a CSP violation is one): the page must have none. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ticker = await home.start(['--name', 'ticker', '--label', 'runledger.stack=demo', '--', process.execPath, join(FIXTURES, 'tick.mjs')]);
    ended = await home.start(['--name', 'short-job', '--', process.execPath, join(FIXTURES, 'exit-with-code.mjs'), '0']);
    // For the picture (docs/ui.png): a readiness check, checkpoints, and a run that crashes and is restarted twice.
    const node = process.execPath;
    await home.start([
      '--name',
      'api-server',
      '--label',
      'runledger.stack=demo',
      '--ready-line',
      'tick 3',
      '--',
      node,
      join(FIXTURES, 'tick.mjs'),
    ]);
    await home.start([
      '--name',
      'build',
      '--label',
      'runledger.stack=demo',
      '--',
      node,
      join(FIXTURES, 'checkpoint.mjs'),
      'compile',
      'test',
      'pack',
    ]);
    const flaky = await home.start([
      ...['--name', 'flaky-worker', '--session', 'agent-7', '--restart', 'on-failure', '--max-restarts', '2'],
      ...['--', node, join(FIXTURES, 'exit-with-code.mjs'), '3'],
    ]);
    await waitUntil(async () => (await home.json(['show', ended.id])).run.status === 'completed', 'the short job to complete', 400);
    await waitUntil(async () => (await home.json(['show', flaky.id])).run.status === 'failed', 'the flaky worker to give up', 600);
    // A daemon restart: the next one's reconcile adopts the live runs (drawn as reconcile markers).
    await home.cli(['daemon', 'stop']);
    const ui = await home.json<{ url: string; port: number }>(['ui', '--no-open']);
    ({ url, port } = ui);
    // A persistent context is how playwright takes a fresh user-data-dir of our own.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 800 },
    });
    page = await browser.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await home.cleanup();
    rmSync(profile, { recursive: true, force: true });
  }, 60_000);

  it('lists the runs, after trading the token in the URL for a cookie', async () => {
    await page.goto(url);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await page.locator(`.lane[data-run-id="${ticker.id}"]`).waitFor({ timeout: DEADLINE_MS });
    await page.locator(`.lane[data-run-id="${ended.id}"][data-status="completed"]`).waitFor({ timeout: DEADLINE_MS });
    const cookie = (await browser.cookies()).find((c) => c.name === `runledger_ui_${port}`);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.locator('#connection.up').waitFor({ timeout: DEADLINE_MS });
    // Spans are placed through the CSSOM (inline style attributes are blocked by the page's CSP): they have a width.
    const width = await page
      .locator(`.lane[data-run-id="${ended.id}"] .span`)
      .first()
      .evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(0);
  });

  it('shows a run started from the CLI without a reload', async () => {
    const before = Date.now();
    const late = await home.start(['--name', 'late-arrival', '--', process.execPath, join(FIXTURES, 'tick.mjs')]);
    const recorded = Date.now();
    await page.locator(`.lane[data-run-id="${late.id}"]`).waitFor({ timeout: DEADLINE_MS });
    const shown = Date.now();
    // The product promise is 2 s; measured here, not asserted (the machine may be busy).
    const delay = { fromCliStartMs: shown - before, fromRecordedMs: shown - recorded };
    writeFileSync(join(shots, 'appear-delay.json'), JSON.stringify(delay));
    console.log(`[ui] screenshots and the measured delay are kept in ${shots}`);
    console.log(
      `[ui] a run started from the CLI appeared ${delay.fromRecordedMs} ms after the CLI returned (${delay.fromCliStartMs} ms after it began)`,
    );
  });

  it('streams the logs of a selected run', async () => {
    await page.locator(`.lane[data-run-id="${ticker.id}"]`).click();
    const lines = page.locator('#log-lines');
    await lines
      .locator('.line.stdout', { hasText: /tick \d+/ })
      .first()
      .waitFor({ timeout: DEADLINE_MS });
    const lastTick = async () => Math.max(0, ...((await lines.textContent()) ?? '').match(/tick (\d+)/g)!.map((t) => Number(t.slice(5))));
    const first = await lastTick();
    await waitUntil(async () => (await lastTick()) >= first + 3, 'new log lines to stream in', 400);
    await lines
      .locator('.line.stderr', { hasText: /tock \d+/ })
      .first()
      .waitFor({ timeout: DEADLINE_MS });
    await page.screenshot({ path: join(shots, 'ui.png') });
    // The README's picture is refreshed only on request, so a test run never edits the checkout.
    if (process.env.RUNLEDGER_UPDATE_SCREENSHOT === '1') {
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      copyFileSync(join(shots, 'ui.png'), join(ROOT, 'docs', 'ui.png'));
    }
  });

  it('is keyboard-usable: / filters (Esc clears it), j/k move between lanes, Enter opens, Esc closes', async () => {
    await page.keyboard.press('Escape');
    await page.locator('#details').waitFor({ state: 'hidden', timeout: DEADLINE_MS });
    await page.locator('body').focus();
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement?.id')).toBe('filter-name');
    await page.keyboard.type('short-job');
    await waitUntil(async () => (await page.locator('.lane').count()) === 1, 'the filter to leave one lane', 400);
    // Esc empties a search field without an input event: the filter must follow what the field shows.
    await page.keyboard.press('Escape');
    await waitUntil(async () => (await page.locator('.lane').count()) > 1, 'every lane to come back', 400);
    const ids = await page.locator('.lane').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-run-id')));
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await page.evaluate("document.activeElement?.getAttribute('data-run-id')")).toBe(ids[1]);
    await page.keyboard.press('k');
    expect(await page.evaluate("document.activeElement?.getAttribute('data-run-id')")).toBe(ids[0]);
    await page.keyboard.press('Enter');
    await page.locator(`.lane.selected[data-run-id="${ids[0]}"]`).waitFor({ timeout: DEADLINE_MS });
    await page.locator('#details:not([hidden]) h2').waitFor({ timeout: DEADLINE_MS });
    await page.keyboard.press('Escape');
    await page.locator('#details').waitFor({ state: 'hidden', timeout: DEADLINE_MS });
  });

  it('stays readable in a narrow window: nothing overflows sideways', async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    await page.locator(`.lane[data-run-id="${ticker.id}"]`).click();
    await page.locator('#details:not([hidden])').waitFor({ timeout: DEADLINE_MS });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: join(shots, 'ui-narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('scrubs back to a position where the ended run was still running, then back to live', async () => {
    const events = await home.cli(['events', '--run', ended.id, '--json']);
    const spawned = events.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; position: number })
      .find((e) => e.type === 'ProcessSpawned')!;
    await page.locator('#scrub-position').fill(String(spawned.position));
    await page.locator('#scrub-form button[type="submit"]').click();
    await page.locator(`.lane[data-run-id="${ended.id}"][data-status="running"]`).waitFor({ timeout: DEADLINE_MS });
    await expect(page.locator('#scrub-state').textContent()).resolves.toContain(`#${spawned.position}`);
    await page.keyboard.press('Escape');
    await page.locator('#live-button').click();
    await page.locator(`.lane[data-run-id="${ended.id}"][data-status="completed"]`).waitFor({ timeout: DEADLINE_MS });
  });

  it('stops a run from the page', async () => {
    await page.locator(`.lane[data-run-id="${ticker.id}"]`).click();
    await page.locator('#action-stop:not([disabled])').click();
    await waitUntil(
      async () => !['running', 'stopping'].includes((await home.json(['show', ticker.id])).run.status),
      'the run to stop',
      400,
    );
    const status = (await home.json(['show', ticker.id])).run.status;
    expect(['killed', 'stopped']).toContain(status);
    await page.locator(`.lane[data-run-id="${ticker.id}"][data-status="${status}"]`).waitFor({ timeout: DEADLINE_MS });
  });

  it('ran without script or console errors', () => {
    expect(pageErrors).toEqual([]);
  });

  it('refuses requests without the token, and from another Host or Origin', async () => {
    const token = new URL(url).searchParams.get('token')!;
    const get = (path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    const host = `127.0.0.1:${port}`;
    expect(await get('/api/v1/runs', { host })).toBe(401);
    expect(await get('/api/ui/events', { host })).toBe(401);
    expect(await get('/', { host })).toBe(401);
    expect(await get('/api/v1/runs', { host, cookie: `runledger_ui_${port}=wrong` })).toBe(401);
    expect(await get('/api/v1/runs', { host, cookie: `runledger_ui_${port}=${token}` })).toBe(200);
    expect(await get('/api/v1/runs', { host: `evil.example:${port}`, cookie: `runledger_ui_${port}=${token}` })).toBe(403);
    expect(await get('/api/v1/runs', { host, origin: 'http://evil.example', cookie: `runledger_ui_${port}=${token}` })).toBe(403);
    expect(await get('/metrics', { host, authorization: `Bearer ${token}` })).toBe(200);
    // Routes the page has no business with are not served there, token or not.
    expect(await get('/api/v1/export', { host, cookie: `runledger_ui_${port}=${token}` })).toBe(404);
  });
});
