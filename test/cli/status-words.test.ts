/**
 * Issue 12, "status words mislead": a user stop that ends the process as
 * asked is `stopped` (its code or signal kept), `killed` needs SIGKILL or a
 * signal from outside, and a stop during restart backoff says nothing ran.
 * Real processes, a real daemon, the built binary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, Home, waitUntil } from './helpers.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SLOW = 120_000;
// Installs its TERM handler, then says so (the ready line): a stop before that would race the handler.
const GRACEFUL = "process.on('SIGTERM', () => process.exit(0)); console.log('HANDLER-READY'); setInterval(() => {}, 1 << 30)";

let home: Home;
beforeAll(() => {
  home = new Home();
});
afterAll(async () => {
  await home.cleanup();
});

async function runningReady(args: string[]): Promise<any> {
  const run = await home.start(args);
  await waitUntil(async () => (await home.json(['show', run.id])).run.status === 'running', `${run.shortId} ready`, 600);
  return run;
}

async function stopped(id: string): Promise<any> {
  const { runs } = await home.json<{ runs: any[] }>(['stop', id]);
  return runs[0];
}

describe('stop: stopped vs killed', () => {
  it(
    'a graceful stop that exits 0 is stopped, with exit code 0 kept, in ps, show and the timeline',
    async () => {
      const run = await runningReady(['--ready-line', 'HANDLER-READY', '--', process.execPath, '-e', GRACEFUL]);
      const after = await stopped(run.id);
      expect(after).toMatchObject({ status: 'stopped', exitCode: 0, signal: null });
      const ps = await home.cli(['ps', '--all']);
      expect(ps.stdout).toMatch(new RegExp(`${run.shortId}\\s+node\\s+stopped`));
      const show = await home.cli(['show', run.id]);
      expect(show.stdout).toMatch(/run ended: stopped \(stopped \(user\); exited with code 0\)/);
    },
    SLOW,
  );

  it(
    'a process ended by the stop signal is stopped (signal kept as detail)',
    async () => {
      const run = await runningReady([
        '--ready-line',
        'READY',
        '--',
        process.execPath,
        join(FIXTURES, 'term-marker.mjs'),
        join(home.dir, 'm'),
      ]);
      expect(await stopped(run.id)).toMatchObject({ status: 'stopped', signal: 'SIGTERM' });
    },
    SLOW,
  );

  it(
    'a process that needed SIGKILL after the grace is killed; so is stop --force',
    async () => {
      const stubborn = await runningReady([
        '--grace',
        '300ms',
        '--ready-line',
        'IGNORING',
        '--',
        process.execPath,
        join(FIXTURES, 'ignore-sigterm.mjs'),
      ]);
      expect(await stopped(stubborn.id)).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
      const forced = await runningReady(['--ready-line', 'HANDLER-READY', '--', process.execPath, '-e', GRACEFUL]);
      const { runs } = await home.json<{ runs: any[] }>(['stop', '--force', forced.id]);
      expect(runs[0]).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
    },
    SLOW,
  );

  it(
    'a stop during restart backoff is stopped and says nothing was running',
    async () => {
      // A long backoff, so the stop surely lands between attempts.
      const config = join(home.dir, 'crash.config.json');
      const crash = {
        command: process.execPath,
        args: [join(FIXTURES, 'exit-with-code.mjs'), '3'],
        restart: { policy: 'always', backoff: '60s' },
      };
      writeFileSync(config, JSON.stringify({ templates: { crash } }));
      const run = await home.start(['--config', config, '-t', 'crash']);
      await waitUntil(async () => (await home.json(['show', run.id])).run.status === 'restarting', `${run.shortId} restarting`, 600);
      const after = await stopped(run.id);
      expect(after.status).toBe('stopped');
      expect(after.reason).toBe('stopped (user) during restart backoff; nothing was running');
      const { runs } = await home.json<{ runs: any[] }>(['ps', '--status', 'stopped']);
      expect(runs.map((r) => r.id)).toContain(run.id);
    },
    SLOW,
  );
});
