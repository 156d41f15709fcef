/**
 * Resource requests fail with the stable code, as tools do: a JSON-RPC error
 * whose message starts `error [CODE]:` and whose `data` is
 * `{ code, message, details? }`. A run that does not exist is RUN_NOT_FOUND,
 * a URI that is not a log resource USAGE; a real run's resource still reads;
 * a listing while no daemon can start carries that failure's code.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectMcp, Home, requestErrorCode, type Connected } from './helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

let home: Home;
let mcp: Connected;
beforeAll(async () => {
  home = new Home();
  mcp = await connectMcp(home);
});
afterAll(async () => {
  await mcp?.close();
  await home.cleanup();
});

const MISSING = 'runledger://runs/NOPE/logs';
const MALFORMED = ['runledger://runs/x/stdout', 'not a uri at all', 'runledger://runs/%E0%A4%A/logs'];

describe('resources/subscribe', () => {
  it('answers RUN_NOT_FOUND for a run that does not exist', async () => {
    const err = await requestErrorCode(mcp.client.subscribeResource({ uri: MISSING }));
    expect(err).toMatchObject({ code: 'RUN_NOT_FOUND', jsonRpcCode: ErrorCode.InvalidParams });
    expect(err.data.message).toMatch(/no run matches/);
  });

  it.each(MALFORMED)('answers USAGE for %j', async (uri) => {
    const err = await requestErrorCode(mcp.client.subscribeResource({ uri }));
    expect(err).toMatchObject({ code: 'USAGE', jsonRpcCode: ErrorCode.InvalidParams, data: { details: { uri } } });
  });
});

describe('resources/read', () => {
  it('answers RUN_NOT_FOUND for a run that does not exist', async () => {
    expect(await requestErrorCode(mcp.client.readResource({ uri: MISSING }))).toMatchObject({ code: 'RUN_NOT_FOUND' });
  });

  it.each(MALFORMED)('answers USAGE for %j', async (uri) => {
    expect(await requestErrorCode(mcp.client.readResource({ uri }))).toMatchObject({ code: 'USAGE', data: { details: { uri } } });
  });

  it("still reads a real run's log", async () => {
    const { run } = (await mcp.call('run', { command: process.execPath, args: ['-e', "console.log('HELLO')"] })).structuredContent;
    await mcp.call('wait', { id: run.id, for: 'exit' });
    const uri = `runledger://runs/${run.id}/logs`;
    expect((await mcp.client.readResource({ uri })).contents[0]).toMatchObject({ uri, text: expect.stringContaining('HELLO') });
  });
});

describe('resources/list', () => {
  it('answers with the code of what failed when no daemon can be started', async () => {
    expect((await mcp.client.listResources()).resources).toBeDefined();
    expect((await home.cli(['daemon', 'stop'])).code).toBe(0);
    // A file where the ledger directory belongs: the next daemon cannot open it.
    renameSync(join(home.dir, 'ledger'), join(home.dir, 'ledger.moved'));
    writeFileSync(join(home.dir, 'ledger'), 'not a ledger');
    try {
      const err = await requestErrorCode(mcp.client.listResources());
      expect(err).toMatchObject({ code: 'DAEMON_UNAVAILABLE', jsonRpcCode: ErrorCode.InternalError });
      expect(err.data.message).toContain('the daemon exited during start-up');
    } finally {
      rmSync(join(home.dir, 'ledger'), { force: true });
      renameSync(join(home.dir, 'ledger.moved'), join(home.dir, 'ledger'));
    }
  });
});
