/**
 * Progress notifications through the real server (SDK Client over stdio, the
 * built binary, a real daemon and processes). The awaited process becomes
 * ready only when the test opens its gate, and the test opens it only once
 * the server's progress says it has waited GATE_AFTER_S seconds: the call then
 * lasted longer than the client's own timeout (CLIENT_TIMEOUT_MS), so it
 * succeeds only because each progress notification reset that timeout.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectMcp, Home, textOf, type Connected } from './helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

/** Progress every 250 ms against a 2 s client timeout: a stall of over 1.7 s on a loaded machine would be needed to fail. */
const PROGRESS_EVERY = '250ms';
const CLIENT_TIMEOUT_MS = 2000;
const GATE_AFTER_S = 4;

let home: Home;
let dir: string;
let mcp: Connected;
beforeAll(async () => {
  home = new Home();
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'rl-mcp-progress-')));
  mcp = await connectMcp(home, ['--progress-every', PROGRESS_EVERY]);
});
afterAll(async () => {
  await mcp?.close();
  await home.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** A shell line that prints its ready line once `gate` exists, then stays up. */
const gated = (gate: string) => `while [ ! -e '${gate}' ]; do sleep 0.1; done; echo RUNLEDGER-READY; exec sleep 600`;

/** Call a tool as a client that resets its short timeout on progress; open `gate` once the server has waited long enough. */
async function callWithProgress(name: string, args: Record<string, unknown>, gate: string) {
  const seen: Progress[] = [];
  const result = await mcp.client.callTool({ name, arguments: args }, CallToolResultSchema, {
    timeout: CLIENT_TIMEOUT_MS,
    resetTimeoutOnProgress: true,
    onprogress: (p) => {
      seen.push(p);
      if (p.progress >= GATE_AFTER_S) writeFileSync(gate, '');
    },
  });
  return { result: result as typeof result & { structuredContent?: any }, seen, messages: seen.map((p) => p.message ?? '') };
}

describe('progress while a tool waits', () => {
  it('wait: progress names the run and condition; the call outlives the client timeout because progress resets it', async () => {
    const gate = join(dir, 'wait-gate');
    const started = await mcp.call('run', {
      command: 'sh',
      args: ['-c', gated(gate)],
      name: 'slowweb',
      ready: { line: 'RUNLEDGER-READY', timeout: 60 },
    });
    expect(started.isError, textOf(started)).toBeFalsy();
    const run = started.structuredContent.run;

    const { result, seen, messages } = await callWithProgress('wait', { id: run.id, for: 'ready', timeout: 60 }, gate);
    expect(result.isError, textOf(result as never)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ met: true, for: 'ready' });
    // It was the gate that ended the wait, opened only after GATE_AFTER_S seconds of progress.
    expect(seen.some((p) => p.progress >= GATE_AFTER_S)).toBe(true);
    expect(messages).toContainEqual(
      expect.stringMatching(new RegExp(`^waiting for slowweb \\(run ${run.shortId}\\) to be ready \\(\\d+ s\\)$`)),
    );
    for (const m of messages) expect(m).toMatch(/^waiting for (slowweb|run) .*to be ready \(\d+ s\)$/);
    // The protocol wants progress to grow with every notification; total is the wait's bound (60 s).
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThan(seen[i - 1]!.progress);
    expect(seen[0]!.total).toBe(60);
  });

  it('up: progress says which process waits for which dependency, as it happens; the call outlives the client timeout', async () => {
    const gate = join(dir, 'up-gate');
    const file = join(dir, 'runledger.yaml');
    writeFileSync(
      file,
      `name: gated
processes:
  web:
    command: sh
    args: [-c, ${JSON.stringify(gated(gate))}]
    ready: { line: RUNLEDGER-READY, timeout: 60 }
  worker:
    command: sleep
    args: ["600"]
    dependsOn: { web: ready }
`,
    );
    const { result, messages } = await callWithProgress('up', { file, wait: true, timeout: 60 }, gate);
    expect(result.isError, textOf(result as never)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ stack: 'gated', started: ['web', 'worker'] });
    const tick = (text: string) => expect.stringMatching(new RegExp(`^${text} \\(\\d+ s\\)$`));
    // From the ledger, in the order the daemon recorded them; ticks repeat what still blocks.
    expect(messages).toContainEqual(tick('worker waits for web to be ready'));
    // (Not "stack gated applied": the daemon may answer before that event reaches the follower.)
    const order = ['starting web', 'worker waits for web to be ready', 'web is ready', 'web is ready: worker may start', 'starting worker'];
    const firsts = order.map((text) => messages.findIndex((m) => new RegExp(`^${text} \\(\\d+ s\\)$`).test(m)));
    expect(
      firsts.every((i) => i >= 0),
      messages.join('\n'),
    ).toBe(true);
    expect([...firsts].sort((a, b) => a - b)).toEqual(firsts);
  });

  it('without a progress token nothing is sent, however long the call waits', async () => {
    const started = await mcp.call('run', { command: 'sh', args: ['-c', gated(join(dir, 'never'))], name: 'never', ready: { line: 'X' } });
    const before = mcp.notifications.length;
    // The tool's own 1 s bound: at 250 ms a progress tick would have come several times.
    const waited = await mcp.call('wait', { id: started.structuredContent.run.id, for: 'ready', timeout: 1 });
    expect(waited.structuredContent).toMatchObject({ met: false, why: 'timeout' });
    expect(mcp.notifications.slice(before).filter((n) => n.method === 'notifications/progress')).toEqual([]);
  });
});
