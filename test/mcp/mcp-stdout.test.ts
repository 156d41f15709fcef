/**
 * Stdout is the protocol: every line the server writes there is a JSON-RPC
 * message, even when a call starts the daemon; its own words go to stderr.
 * The server exits 0 when its stdin closes.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { BIN, ROOT } from '../cli/helpers.js';
import { Home, waitUntil } from './helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

let home: Home;
beforeAll(() => {
  home = new Home();
});
afterAll(async () => {
  await home.cleanup();
});

it('writes only JSON-RPC on stdout, diagnostics on stderr, and exits 0 when stdin closes', async () => {
  const child = spawn(process.execPath, [BIN, 'mcp', '--home', home.dir], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const send = (m: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`);
  send({
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
  });
  await waitUntil(() => out.includes('"id":1'), 'the initialize answer', 600);
  send({ method: 'notifications/initialized' });
  // ps starts the daemon: nothing of that may reach stdout.
  send({ id: 2, method: 'tools/call', params: { name: 'ps', arguments: { all: true } } });
  send({ id: 3, method: 'tools/call', params: { name: 'show', arguments: { id: 'nope' } } });
  await waitUntil(() => out.includes('"id":2') && out.includes('"id":3'), 'the tool answers', 600);
  child.stdin.end();
  expect(await exited).toBe(0);

  const messages = out
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { jsonrpc: string; id?: number; result?: any });
  expect(messages.every((m) => m.jsonrpc === '2.0')).toBe(true);
  const byId = (id: number) => messages.find((m) => m.id === id)!;
  expect(messages.map((m) => m.id).sort()).toEqual([1, 2, 3]); // calls run concurrently: answers may come in any order
  expect(byId(2).result.structuredContent).toMatchObject({ source: 'daemon', runs: [] });
  expect(byId(3).result).toMatchObject({ isError: true, _meta: { 'runledger/error': { code: 'RUN_NOT_FOUND' } } });
  expect(err).toContain('runledger mcp: serving on stdio');
});
