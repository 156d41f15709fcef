/**
 * `runledger mcp` end to end: the SDK's Client over stdio against the built
 * binary, a real daemon, real processes. Tools with schemas, a server started
 * with waitReady, its logs, wait for a one-shot's code, stop, interrupt of a
 * session, bounded logs and events, the log resource and its notifications.
 */
import { ResourceListChangedNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectMcp, errorCode, FIXTURES, Home, textOf, waitUntil, type Connected } from './helpers.js';

// Each test starts a server process (and the first a daemon); under CI's busy loops that takes seconds.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const node = process.execPath;
const fixture = (name: string) => join(FIXTURES, name);
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

describe('tools', () => {
  it('lists the CLI-named tools, each with an input and an output schema', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'down',
      'events',
      'interrupt',
      'logs',
      'ps',
      'restart',
      'run',
      'show',
      'stop',
      'up',
      'wait',
    ]);
    for (const t of tools) {
      expect(t.inputSchema.type, t.name).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
    }
    const run = tools.find((t) => t.name === 'run')!;
    expect(Object.keys(run.inputSchema.properties!)).toEqual(
      expect.arrayContaining([
        'command',
        'args',
        'shell',
        'cwd',
        'env',
        'name',
        'ready',
        'timeout',
        'restart',
        'slot',
        'key',
        'labels',
        'waitReady',
      ]),
    );
    expect(run.inputSchema.required).toEqual(['command']);
  });

  it('starts a real server with waitReady, reads its logs, and stops it', async () => {
    const started = await mcp.call('run', {
      command: node,
      args: [fixture('listen-port.mjs'), '0'],
      name: 'web',
      ready: { line: 'RUNLEDGER-READY', timeout: 20 },
      waitReady: true,
    });
    expect(started.isError, textOf(started)).toBeFalsy();
    const { run, wait } = started.structuredContent;
    expect(wait).toMatchObject({ for: 'ready', met: true, timedOut: false });
    expect(run).toMatchObject({ name: 'web', status: 'running', ready: true });
    expect(textOf(started)).toContain(`run ${run.shortId} is ready`);

    const logs = await mcp.call('logs', { id: run.shortId });
    expect(logs.structuredContent.lines.map((l: { line: string }) => l.line)).toEqual([
      expect.stringMatching(/^LISTENING \d+$/),
      'RUNLEDGER-READY',
    ]);
    expect(logs.structuredContent).toMatchObject({ truncated: false, cursor: { stdout: 2, stderr: 0 } });

    const stopped = await mcp.call('stop', { ids: [run.id] });
    expect(stopped.structuredContent.runs[0]).toMatchObject({ id: run.id, status: expect.stringMatching(/^(killed|stopped)$/) });
    expect(textOf(stopped)).toContain(run.shortId);
  });

  it('answers a readiness failure with its reason and stderr tail', async () => {
    const r = await mcp.call('run', {
      command: node,
      args: ['-e', "console.error('cannot bind: address in use'); process.exit(1)"],
      ready: { line: 'NEVER' },
      waitReady: true,
    });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent.wait).toMatchObject({ met: false, why: 'readiness-failed', readinessFailure: { reason: 'exited' } });
    expect(r.structuredContent.wait.readinessFailure.stderrTail).toContain('cannot bind: address in use');
    expect(textOf(r)).toContain('cannot bind: address in use');
  });

  it("waits for a one-shot's exit code, and times out on a run that goes on", async () => {
    const { run } = (await mcp.call('run', { command: node, args: [fixture('exit-with-code.mjs'), '3'] })).structuredContent;
    const w = await mcp.call('wait', { id: run.id, for: 'exit', timeout: 30 });
    expect(w.structuredContent).toMatchObject({ met: true, exitCode: 3, run: { status: 'failed' } });

    const { run: long } = (await mcp.call('run', { command: 'sleep', args: ['60'] })).structuredContent;
    const t = await mcp.call('wait', { id: long.id, for: 'exit', timeout: '300ms' });
    expect(t.structuredContent).toMatchObject({ met: false, timedOut: true, why: 'timeout', run: { status: 'running' } });
    await mcp.call('stop', { ids: [long.id], force: true });
  });

  it('says in the answer when a wait timeout above the 10-min cap was cut', async () => {
    const { run } = (await mcp.call('run', { command: 'true' })).structuredContent;
    const capped = await mcp.call('wait', { id: run.id, for: 'exit', timeout: '1h' });
    expect(capped.structuredContent).toMatchObject({
      met: true,
      timeoutCapped: { requestedMs: 3_600_000, appliedMs: 600_000 },
      note: expect.stringContaining('call wait again to wait longer'),
    });
    expect(textOf(capped)).toContain("(timeout 3600 s cut to the server's cap of 600 s");
    const within = await mcp.call('wait', { id: run.id, for: 'exit', timeout: 600 });
    expect(within.structuredContent).not.toHaveProperty('timeoutCapped');
    expect(within.structuredContent).not.toHaveProperty('note');
  });

  it('reports progress while it waits, so a client can wait past its request timeout', async () => {
    const { run } = (await mcp.call('run', { command: 'sleep', args: ['60'] })).structuredContent;
    const progress: number[] = [];
    const w = await mcp.client.callTool({ name: 'wait', arguments: { id: run.id, for: 'exit', timeout: 10 } }, undefined, {
      onprogress: (p) => void progress.push(p.progress),
      resetTimeoutOnProgress: true,
      timeout: 7000, // shorter than the wait: only the progress (every 5 s) keeps the request alive
    });
    expect(w.structuredContent).toMatchObject({ met: false, timedOut: true });
    expect(progress.length).toBeGreaterThan(0);
    await mcp.call('stop', { ids: [run.id], force: true });
  });

  it("records which client and session started a run, and interrupt stops exactly this session's runs", async () => {
    const a = (await mcp.call('run', { command: 'sleep', args: ['60'] })).structuredContent.run;
    const b = (await mcp.call('run', { command: 'sleep', args: ['60'], turn: 't2' })).structuredContent.run;
    const other = await home.start(['--session', 'someone-else', '--', 'sleep', '60']);
    expect(a.owner.session).toMatch(/^test-agent-[0-9a-z]{26}$/);
    expect(b.owner).toEqual({ session: a.owner.session, turn: 't2' });
    expect(a.labels).toEqual({ 'runledger.mcp.client': 'test-agent', 'runledger.mcp.client-version': '9.9.9' });

    const mine = await mcp.call('ps', { session: 'self' });
    expect(mine.structuredContent.runs.map((r: { id: string }) => r.id).sort()).toEqual([a.id, b.id].sort());

    const report = await mcp.call('interrupt', {});
    expect(report.structuredContent.scope).toEqual({ session: a.owner.session });
    expect(report.structuredContent.signaled.map((r: { id: string }) => r.id).sort()).toEqual([a.id, b.id].sort());
    for (const id of [a.id, b.id]) expect((await mcp.call('wait', { id, for: 'exit' })).structuredContent.run.status).toBe('interrupted');
    expect((await home.json(['show', other.id])).run.status).toBe('running');
    await home.cli(['stop', '--force', other.id]);
  });

  it('restart starts the next attempt of the same run', async () => {
    const { run } = (await mcp.call('run', { command: 'sleep', args: ['60'] })).structuredContent;
    const restarted = await mcp.call('restart', { id: run.shortId });
    expect(restarted.structuredContent.run.id).toBe(run.id);
    await waitUntil(
      async () => (await mcp.call('show', { id: run.id })).structuredContent.run.attempts.length === 2,
      'the second attempt',
      600,
    );
    expect((await mcp.call('logs', { id: run.id, attempt: 1 })).structuredContent).toMatchObject({ attempt: 1, lines: [] });
    expect(errorCode(await mcp.call('logs', { id: run.id, attempt: 5 }))).toBe('ATTEMPT_NOT_FOUND');
    await mcp.call('stop', { ids: [run.id], force: true });
  });

  it('a mistake is a tool error with its stable code, and the server goes on', async () => {
    const missing = await mcp.call('show', { id: 'zzzzzzz' });
    expect(errorCode(missing)).toBe('RUN_NOT_FOUND');
    const bad = await mcp.call('run', { command: node, timeout: 'soon' });
    expect(errorCode(bad)).toBe('INVALID_SPEC');
    // Refused by the SDK before our handler runs: still a code.
    const invalid = await mcp.call('run', { args: ['no command'] });
    expect(errorCode(invalid)).toBe('USAGE');
    expect(textOf(invalid)).toContain('command');
    expect(errorCode(await mcp.call('no-such-tool', {}))).toBe('USAGE');
    expect((await mcp.call('ps', {})).isError).toBeFalsy();
  });
});

describe('bounded answers', () => {
  it('logs: a tail within the byte budget says what it left out, and `cursor` pages forward from an earlier answer', async () => {
    const { run } = (await mcp.call('run', { command: node, args: [fixture('flood-stdout.mjs'), '100000'] })).structuredContent;
    await mcp.call('wait', { id: run.id, for: 'exit', timeout: 30 });
    const tail = await mcp.call('logs', { id: run.id, stream: 'stdout', tail: 500, maxBytes: 4096 });
    expect(tail.structuredContent.truncated).toBe(true);
    expect(tail.structuredContent.note).toMatch(/earlier line\(s\) did not fit/);
    expect(tail.structuredContent.lines.at(-1).line).toMatch(/^0000000999 /);
    expect(tail.structuredContent.cursor.stdout).toBe(1000);
    expect(Buffer.byteLength(tail.structuredContent.lines.map((l: { line: string }) => l.line + '\n').join(''))).toBeLessThanOrEqual(4096);

    const first = await mcp.call('logs', { id: run.id, stream: 'stdout', cursor: { stdout: 0 }, maxBytes: 2048 });
    const page1 = first.structuredContent;
    expect(page1.lines[0].line).toMatch(/^0000000000 /);
    expect(page1.truncated).toBe(true);
    expect(page1.note).toContain(`cursor.stdout=${page1.cursor.stdout}`);
    const page2 = (await mcp.call('logs', { id: run.id, stream: 'stdout', cursor: page1.cursor, maxBytes: 2048 })).structuredContent;
    expect(page2.lines[0].index).toBe(page1.cursor.stdout);
  });

  it('logs: `since` is a time or a duration ago, as on the CLI, with indexes and cursor of the whole stream', async () => {
    const go = join(home.dir, 'go-since');
    const script = `console.log('OLD'); const t = setInterval(() => { if (require('fs').existsSync(${JSON.stringify(go)})) { console.log('NEW'); clearInterval(t); } }, 20); setInterval(() => {}, 1 << 30);`;
    const { run } = (await mcp.call('run', { command: node, args: ['-e', script], ready: { line: 'OLD' }, waitReady: true }))
      .structuredContent;
    await new Promise((r) => setTimeout(r, 20)); // OLD was read strictly before `mark`
    const mark = new Date().toISOString();
    writeFileSync(go, '');
    const lineTexts = (page: { lines: { line: string }[] }) => page.lines.map((l) => l.line);
    await waitUntil(async () => lineTexts((await mcp.call('logs', { id: run.id })).structuredContent).includes('NEW'), 'the NEW line', 600);

    const recent = (await mcp.call('logs', { id: run.id, stream: 'stdout', since: mark })).structuredContent;
    expect(recent.lines).toEqual([{ stream: 'stdout', line: 'NEW', index: 1 }]);
    expect(recent.cursor).toEqual({ stdout: 2 });
    const both = (await mcp.call('logs', { id: run.id, stream: 'stdout', since: '1h' })).structuredContent;
    expect(lineTexts(both)).toEqual(['OLD', 'NEW']);
    expect((await mcp.call('logs', { id: run.id, stream: 'stdout', since: 3600 })).structuredContent.lines).toHaveLength(2);
    // Nothing since a moment from now: the cursor still says where the stream is.
    const none = (await mcp.call('logs', { id: run.id, stream: 'stdout', since: new Date(Date.now() + 60_000).toISOString() }))
      .structuredContent;
    expect(none).toMatchObject({ lines: [], cursor: { stdout: 2 } });

    expect(errorCode(await mcp.call('logs', { id: run.id, since: 'soon' }))).toBe('USAGE');
    expect(errorCode(await mcp.call('logs', { id: run.id, since: '5m', cursor: { stdout: 0 } }))).toBe('USAGE');
    await mcp.call('stop', { ids: [run.id], force: true });
  });

  it('events: the latest `limit`, or the first `limit` from a position with where to go on', async () => {
    for (let i = 0; i < 4; i++) await mcp.call('run', { command: 'true' }); // enough history, whichever tests ran before
    const latest = (await mcp.call('events', { limit: 2 })).structuredContent;
    expect(latest.events).toHaveLength(2);
    expect(latest).toMatchObject({
      truncated: true,
      note: `${latest.events[0].position - 1} earlier event(s) left out: narrow with run/type/since, or page with from`,
    });
    expect(latest.next).toBe(latest.events[1].position + 1);
    const filtered = (await mcp.call('events', { type: ['RunRequested'], limit: 1 })).structuredContent;
    expect(filtered.events.map((e: { type: string }) => e.type)).toEqual(['RunRequested']);
    expect(filtered.note).toMatch(/^\d+ earlier event\(s\) left out/);
    const page = (await mcp.call('events', { from: 1, limit: 3, type: ['RunRequested'] })).structuredContent;
    expect(page.events.map((e: { type: string }) => e.type)).toEqual(['RunRequested', 'RunRequested', 'RunRequested']);
    expect(page.truncated).toBe(true);
    expect(page.next).toBe(page.events[2].position + 1);
  });
});

describe('log resources', () => {
  it('lists and reads runledger://runs/<id>/logs, and notifies a subscriber while the run writes', async () => {
    const go = join(home.dir, 'go');
    // Prints a first line at once, a second only once the test created `go` (after subscribing), then lives on.
    const script = `console.log('FIRST'); const t = setInterval(() => { if (require('fs').existsSync(${JSON.stringify(go)})) { console.log('SECOND'); clearInterval(t); } }, 20); setInterval(() => {}, 1 << 30);`;
    const { run } = (await mcp.call('run', { command: node, args: ['-e', script], ready: { line: 'FIRST' }, waitReady: true }))
      .structuredContent;
    const uri = `runledger://runs/${run.id}/logs`;
    expect((await mcp.client.listResources()).resources.map((r) => r.uri)).toContain(uri);
    expect((await mcp.client.readResource({ uri })).contents[0]).toMatchObject({
      uri,
      mimeType: 'text/plain',
      text: expect.stringContaining('FIRST'),
    });

    const updates: string[] = [];
    mcp.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await mcp.client.subscribeResource({ uri });
    writeFileSync(go, '');
    await waitUntil(() => updates.includes(uri), 'a resources/updated notification', 600);
    // Notified while the run still runs, and the resource now holds the new line.
    expect((await mcp.call('show', { id: run.id })).structuredContent.run.status).toBe('running');
    expect((await mcp.client.readResource({ uri })).contents[0]).toMatchObject({ text: expect.stringContaining('SECOND') });
    await mcp.client.unsubscribeResource({ uri });
    await mcp.call('stop', { ids: [run.id], force: true });
  });

  it('declares listChanged and, once a client listed, tells it when a run appears (from a tool call or the CLI)', async () => {
    expect(mcp.client.getServerCapabilities()?.resources).toMatchObject({ listChanged: true, subscribe: true });
    let changes = 0;
    mcp.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void changes++);
    await mcp.client.listResources();

    const { run } = (await mcp.call('run', { command: 'sleep', args: ['60'] })).structuredContent;
    await waitUntil(() => changes > 0, 'a resources/list_changed notification', 600);
    expect((await mcp.client.listResources()).resources.map((r) => r.uri)).toContain(`runledger://runs/${run.id}/logs`);

    const seen = changes;
    const other = await home.start(['--', 'sleep', '60']);
    await waitUntil(() => changes > seen, 'a notification for a run started from the CLI', 600);
    expect((await mcp.client.listResources()).resources.map((r) => r.uri)).toContain(`runledger://runs/${other.id}/logs`);
    await mcp.call('stop', { ids: [run.id, other.id], force: true });
  });

  it('refuses to subscribe to something that is not a run', async () => {
    await expect(mcp.client.subscribeResource({ uri: 'runledger://runs/zzzzzzz/logs' })).rejects.toThrow(
      /error \[RUN_NOT_FOUND\]: no run matches/,
    );
  });
});
