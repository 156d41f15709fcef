/**
 * The `up` and `down` tools through the real server (SDK Client over stdio,
 * the built binary, a real daemon and processes): dependency order proven
 * from the ledger's positions, the session as owner, no restart for a second
 * `up` (from MCP or the CLI), and the safety flags applied to stack files.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../cli/helpers.js';
import { connectMcp, errorCode, FIXTURES, Home, textOf, type Connected } from './helpers.js';

// Each test starts a server process (and the first a daemon); under CI's busy loops that takes seconds.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

let home: Home;
let dir: string;
beforeAll(() => {
  home = new Home();
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'rl-mcp-stack-')));
});
afterAll(async () => {
  await home.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function withServer(flags: string[], body: (mcp: Connected) => Promise<void>): Promise<void> {
  const mcp = await connectMcp(home, flags);
  try {
    await body(mcp);
  } finally {
    await mcp.close();
  }
}

const runIds = async (): Promise<string[]> => (await home.json<{ runs: { id: string }[] }>(['ps', '--all'])).runs.map((r) => r.id);

/** A directory with a stack file of its own. */
function stackDir(name: string, text: string, file = 'runledger.yaml'): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, file), text);
  return d;
}

const webAndWorker = (port: number) => `name: pair
processes:
  web:
    command: [${process.execPath}, ${join(FIXTURES, 'listen-port.mjs')}, "${port}"]
    ready: { port: ${port}, timeout: 30 }
  worker:
    command: sleep
    args: ["600"]
    dependsOn: { web: ready }
    grace: 5
`;

describe('up / down', () => {
  it('up starts web then worker (after web was ready), owned by the session; up again (MCP or CLI) starts nothing; down stops both', async () => {
    const d = stackDir('pair', webAndWorker(await freePort()));
    const file = join(d, 'runledger.yaml');
    await withServer([], async (mcp) => {
      const up = await mcp.call('up', { file, wait: true, timeout: 60 });
      expect(up.isError, textOf(up)).toBeFalsy();
      const report = up.structuredContent;
      report.runs.forEach((r: any) => home.track(r));
      expect(report).toMatchObject({ stack: 'pair', file, started: ['web', 'worker'], restarted: [], unchanged: [] });
      expect(textOf(up)).toContain('stack pair');
      expect(textOf(up)).toContain('started web, worker');
      for (const r of report.runs) {
        expect(r.status, r.name).toBe('running');
        expect(r.owner.session, r.name).toMatch(/^test-agent-/);
        expect(r.labels, r.name).toMatchObject({ 'runledger.stack': 'pair', 'runledger.mcp.client': 'test-agent' });
      }

      // Order from the ledger: web's ready was recorded before worker was requested.
      const log = (await home.cli(['events', '--json'])).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { position: number; type: string; streamId: string; data: any });
      const runOf = (name: string) => log.find((e) => e.type === 'RunRequested' && e.data.spec.name === name)!.streamId;
      const pos = (type: string, stream: string) => log.find((e) => e.type === type && e.streamId === stream)!.position;
      expect(pos('ProcessReady', runOf('web'))).toBeLessThan(pos('RunRequested', runOf('worker')));

      const again = await mcp.call('up', { file });
      expect(again.structuredContent).toMatchObject({ started: [], restarted: [], unchanged: ['web', 'worker'] });
      // The owner and the client's labels are not part of the spec hash: the CLI's `up` finds nothing to do either.
      const cli = await home.json<{ started: string[]; restarted: string[]; unchanged: string[] }>(['up', '-f', file]);
      expect(cli).toMatchObject({ started: [], restarted: [], unchanged: ['web', 'worker'] });

      const down = await mcp.call('down', { file, wait: true });
      expect(down.isError, textOf(down)).toBeFalsy();
      expect([...down.structuredContent.stopped].sort()).toEqual(['web', 'worker']);
      for (const r of down.structuredContent.runs) expect(['stopped', 'killed'], r.name).toContain(r.status);
    });
  });

  it('a dependency that fails is DEPENDENCY_FAILED naming it, with its last stderr lines; what depends on it never starts', async () => {
    const d = stackDir(
      'failing',
      `name: failing
processes:
  migrate:
    command: sh
    args: [-c, "echo 'relation users does not exist' >&2; exit 3"]
  api:
    command: sleep
    args: ["600"]
    dependsOn: { migrate: completed }
`,
    );
    await withServer([], async (mcp) => {
      const r = await mcp.call('up', { file: join(d, 'runledger.yaml') });
      expect(errorCode(r), textOf(r)).toBe('DEPENDENCY_FAILED');
      expect(textOf(r)).toContain('api was not started: migrate');
      expect(JSON.stringify(r._meta)).toContain('relation users does not exist');
      const names = (await home.json<{ runs: { name: string; labels: Record<string, string> }[] }>(['ps', '--all'])).runs
        .filter((x) => x.labels['runledger.stack'] === 'failing')
        .map((x) => x.name);
      expect(names).toEqual(['migrate']);
    });
  });

  it('a broken stack file is INVALID_STACK naming the file and line, and starts nothing', async () => {
    const d = stackDir('broken', 'name: broken\nprocesses:\n  web:\n    command: sleep\n    dependsOn: { db: ready }\n');
    await withServer([], async (mcp) => {
      const before = await runIds();
      const r = await mcp.call('up', { file: join(d, 'runledger.yaml') });
      expect(errorCode(r), textOf(r)).toBe('INVALID_STACK');
      expect(textOf(r)).toMatch(/runledger\.yaml:5\b/);
      expect(await runIds()).toEqual(before);
    });
  });
});

describe('safety flags on stacks', () => {
  it('--allow-cwd refuses a stack file outside, and a process whose cwd is outside; finds the file from the allowed dir', async () => {
    const allowed = stackDir('allowed', 'name: inside\nprocesses:\n  a:\n    command: "true"\n    cwd: ../outside\n');
    mkdirSync(join(dir, 'outside'), { recursive: true });
    const outside = stackDir('outside', 'name: outside\nprocesses:\n  a:\n    command: "true"\n');
    await withServer(['--allow-cwd', allowed], async (mcp) => {
      const before = await runIds();
      const byFile = await mcp.call('up', { file: join(outside, 'runledger.yaml') });
      expect(errorCode(byFile), textOf(byFile)).toBe('CWD_NOT_ALLOWED');
      // No file given: found in the server's default cwd (the first allowed dir), whose process wants ../outside.
      const byCwd = await mcp.call('up', {});
      expect(errorCode(byCwd), textOf(byCwd)).toBe('CWD_NOT_ALLOWED');
      expect(textOf(byCwd)).toContain(join(dir, 'outside'));
      expect(errorCode(await mcp.call('down', { file: join(outside, 'runledger.yaml') }))).toBe('CWD_NOT_ALLOWED');
      expect(await runIds()).toEqual(before);
    });
  });

  it('--no-shell refuses up of a Procfile (its lines are shell lines), not down', async () => {
    const d = stackDir('procfile', 'web: echo hi && sleep 600\n', 'Procfile');
    await withServer(['--no-shell'], async (mcp) => {
      const before = await runIds();
      const r = await mcp.call('up', { file: join(d, 'Procfile') });
      expect(errorCode(r), textOf(r)).toBe('SHELL_NOT_ALLOWED');
      expect(await runIds()).toEqual(before);
      // down runs nothing, so it is not refused (a stack the user started may be stopped).
      const down = await mcp.call('down', { file: join(d, 'Procfile') });
      expect(down.isError, textOf(down)).toBeFalsy();
      expect(down.structuredContent.stopped).toEqual([]);
    });
  });
});
