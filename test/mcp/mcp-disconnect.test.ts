/**
 * `--on-disconnect`: when the client goes away (closes the server's stdin),
 * `stop` stops every run this session started and nothing else; `keep` (the
 * default) leaves them to the daemon. `--session` fixes the owner session.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { connectMcp, Home, isAlive, waitUntil } from './helpers.js';

// Each test starts a server process (and the first a daemon); under CI's busy loops that takes seconds.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

let home: Home;
beforeEach(() => {
  home = new Home();
});
afterEach(async () => {
  await home.cleanup();
});

const statusOf = async (id: string): Promise<string> => (await home.json<{ run: { status: string } }>(['show', id])).run.status;

it('stop: closing the client stops the runs of its session, and only those', async () => {
  const mcp = await connectMcp(home, ['--on-disconnect', 'stop', '--session', 'agent-7']);
  const mine = (await mcp.call('run', { command: 'sleep', args: ['60'] })).structuredContent.run;
  expect(mine.owner).toEqual({ session: 'agent-7' });
  const other = await home.start(['--session', 'agent-8', '--', 'sleep', '60']);
  const serverPid = mcp.pid;
  await mcp.close();
  await waitUntil(() => !isAlive(serverPid), 'the MCP server to exit', 600);
  await waitUntil(async () => (await statusOf(mine.id)) !== 'running', 'the run to be stopped', 600);
  await waitUntil(async () => ['killed', 'stopped'].includes(await statusOf(mine.id)), 'the run to end', 600);
  expect(await statusOf(other.id)).toBe('running');
  expect(isAlive(mine.attempts[0].pid)).toBe(false);
});

it('keep (the default): closing the client leaves its runs running', async () => {
  const mcp = await connectMcp(home);
  const run = (await mcp.call('run', { command: 'sleep', args: ['60'] })).structuredContent.run;
  const serverPid = mcp.pid;
  await mcp.close();
  await waitUntil(() => !isAlive(serverPid), 'the MCP server to exit', 600);
  expect(await statusOf(run.id)).toBe('running');
  expect(isAlive(run.attempts[0].pid)).toBe(true);
});

it('stop also applies when the client ends the server with SIGTERM instead of closing stdin', async () => {
  const mcp = await connectMcp(home, ['--on-disconnect', 'stop']);
  const run = (await mcp.call('run', { command: 'sleep', args: ['60'] })).structuredContent.run;
  process.kill(mcp.pid, 'SIGTERM');
  await waitUntil(() => !isAlive(mcp.pid), 'the MCP server to exit', 600);
  await waitUntil(async () => ['killed', 'stopped'].includes(await statusOf(run.id)), 'the run to end', 600);
  await mcp.close();
});
