/**
 * The README's stack example, as written (only its port swapped for a free
 * one, so the test cannot collide with a server on 8080): what a new user
 * copies must work.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { freePort, Home, ROOT, waitUntil } from './helpers.js';

const home = new Home();
const dir = mkdtempSync(join(tmpdir(), 'rl-readme-'));
afterEach(async () => {
  await home.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function readmeStack(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = /<!-- stack-example:[^>]*-->\n```yaml\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README has no stack example');
  return match[1]!;
}

it('runs the README stack example: up in order, the worker talks to web, up again does nothing, down', async () => {
  const port = await freePort();
  const app = join(dir, 'myapp');
  mkdirSync(app);
  writeFileSync(join(app, 'runledger.yaml'), readmeStack().replaceAll('8080', String(port)));

  const up = await home.json<{ stack: string; started: string[]; runs: any[] }>(['up'], { cwd: app });
  up.runs.forEach((r) => home.track(r));
  expect(up.stack).toBe('myapp');
  expect(up.started).toEqual(['migrate', 'web', 'worker']);

  const worker = up.runs.find((r) => r.name === 'worker');
  await waitUntil(async () => (await home.cli(['logs', worker.id])).stdout.includes('hello'), 'the worker to print what web answers', 600);

  const ps = await home.json<{ runs: any[] }>(['ps', '--stack', 'myapp'], { cwd: app });
  expect(ps.runs.map((r) => r.name).sort()).toEqual(['web', 'worker']);
  expect((await home.json<{ started: string[] }>(['up'], { cwd: app })).started).toEqual([]);
  expect((await home.json<{ stopped: string[] }>(['down', '--wait'], { cwd: app })).stopped).toEqual(['worker', 'web']);
}, 120_000);
