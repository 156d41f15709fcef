/** One real health probe of each kind: what counts as healthy, and the evidence of a failure. */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHealthProbe } from '../../src/runtime/health-probe.js';
import { isAlive } from '../support/processes.js';

const tuning = { intervalMs: 1000, timeoutMs: 5000, failureThreshold: 1, startPeriodMs: 0 };
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createHttpServer((req, res) => {
    if (req.url === '/ok') res.writeHead(204).end();
    else if (req.url === '/moved') res.writeHead(302, { location: '/nowhere' }).end();
    else if (req.url === '/hang')
      return; // never answers
    else res.writeHead(503).end('maintenance\nback soon\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createTcpServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

describe('runHealthProbe', () => {
  it('http: 2xx and 3xx are healthy (no redirect followed); others fail with the status and the body head', async () => {
    expect(await runHealthProbe({ ...tuning, http: { url: `http://127.0.0.1:${port}/ok` } }, '/')).toMatchObject({
      ok: true,
      evidence: { status: 204 },
    });
    expect((await runHealthProbe({ ...tuning, http: { url: `http://127.0.0.1:${port}/moved` } }, '/')).ok).toBe(true);
    const bad = await runHealthProbe({ ...tuning, http: { url: `http://127.0.0.1:${port}/health` } }, '/');
    expect(bad).toMatchObject({ ok: false, evidence: { status: 503, output: ['maintenance', 'back soon'] } });
  });

  it('http: no answer within the timeout fails as timed out; a refused connection fails with the error', async () => {
    const hang = await runHealthProbe({ ...tuning, timeoutMs: 200, http: { url: `http://127.0.0.1:${port}/hang` } }, '/');
    expect(hang).toMatchObject({ ok: false, evidence: { timedOut: true } });
    const refused = await runHealthProbe({ ...tuning, http: { url: `http://127.0.0.1:${await freePort()}/` } }, '/');
    expect(refused.ok).toBe(false);
    expect(refused.evidence.error).toMatch(/ECONNREFUSED/);
  });

  it('tcp: healthy on connect, else the connect error', async () => {
    expect((await runHealthProbe({ ...tuning, tcp: { port } }, '/')).ok).toBe(true);
    const refused = await runHealthProbe({ ...tuning, tcp: { port: await freePort(), host: '127.0.0.1' } }, '/');
    expect(refused.evidence.error).toMatch(/ECONNREFUSED/);
  });

  it('exec: exit 0 is healthy; otherwise the exit code and the output tail, run in the given cwd without a shell', async () => {
    const ok = await runHealthProbe({ ...tuning, exec: { command: 'pwd', args: [] } }, '/tmp');
    expect(ok).toMatchObject({ ok: true, evidence: { exitCode: 0, output: ['/tmp'] } });
    const bad = await runHealthProbe({ ...tuning, exec: { command: 'sh', args: ['-c', 'echo one; echo two >&2; exit 3'] } }, '/');
    expect(bad).toMatchObject({ ok: false, evidence: { exitCode: 3 } });
    expect(bad.evidence.output).toEqual(expect.arrayContaining(['one', 'two']));
    const literal = await runHealthProbe({ ...tuning, exec: { command: 'echo', args: ['$HOME', '*'] } }, '/');
    expect(literal.evidence.output).toEqual(['$HOME *']);
    const missing = await runHealthProbe({ ...tuning, exec: { command: 'no-such-command-xyz', args: [] } }, '/');
    expect(missing.ok).toBe(false);
    expect(missing.evidence.error).toMatch(/ENOENT/);
  });

  it('exec: past the timeout the probe and what it started are killed', async () => {
    const r = await runHealthProbe({ ...tuning, timeoutMs: 300, exec: { command: 'sh', args: ['-c', 'sleep 600 & echo $!; wait'] } }, '/');
    expect(r).toMatchObject({ ok: false, evidence: { timedOut: true, signal: 'SIGKILL' } });
    const grandchild = Number(r.evidence.output![0]);
    expect(Number.isInteger(grandchild)).toBe(true);
    expect(isAlive(grandchild)).toBe(false);
  });
});
