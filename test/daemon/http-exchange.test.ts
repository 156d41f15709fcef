/**
 * The CLI's one-shot HTTP exchange over node:net, against node's own HTTP
 * server on a Unix socket: plain, chunked and empty answers, a slow handler
 * (the request must not be half-closed), an answer cut short, a timeout,
 * and nobody listening.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exchange, parseHttpAnswer } from '../../src/daemon/http-exchange.js';

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'rl-http-'));
  dirs.push(dir);
  const socket = join(dir, 's.sock');
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(socket, r));
  return socket;
}

describe('exchange', () => {
  it('sends method, path and JSON body, and reads a Content-Length answer', async () => {
    const socket = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () =>
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ got: [req.method, req.url, body] })),
      );
    });
    const answer = await exchange(socket, 'POST', '/v1/x?a=1', { k: 'v ü' }, undefined);
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toEqual({ got: ['POST', '/v1/x?a=1', '{"k":"v ü"}'] });
  });

  it('reads a chunked answer written in pieces by a slow handler', async () => {
    const socket = await serve((_req, res) => {
      res.write('{"a":');
      setTimeout(() => res.end('"ü"}'), 200);
    });
    const answer = await exchange(socket, 'GET', '/', undefined, undefined);
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    expect(JSON.parse(answer.body)).toEqual({ a: 'ü' });
  });

  it('fails with ECONNRESET when the server closes mid-answer, ETIMEDOUT past the deadline, ENOENT with nobody there', async () => {
    const cut = await serve((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => req.socket.destroy(), 50);
    });
    await expect(exchange(cut, 'GET', '/', undefined, undefined)).rejects.toMatchObject({ code: 'ECONNRESET' });
    const silent = await serve(() => undefined);
    await expect(exchange(silent, 'GET', '/', undefined, 100)).rejects.toMatchObject({ code: 'ETIMEDOUT', name: 'TimeoutError' });
    await expect(exchange(join(tmpdir(), 'rl-no-such.sock'), 'GET', '/', undefined, undefined)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('parseHttpAnswer', () => {
  const raw = (s: string) => Buffer.from(s, 'utf8');
  it('splits head and body, lower-cases header names, honours Content-Length', () => {
    expect(parseHttpAnswer(raw('HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nX-A: b\r\n\r\n{}'))).toEqual({
      status: 404,
      headers: { 'content-length': '2', 'x-a': 'b' },
      body: '{}',
    });
  });
  it('undoes chunked encoding and refuses a cut chunk, a missing head or a non-HTTP answer', () => {
    expect(parseHttpAnswer(raw('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n')).body).toBe(
      'abcde',
    );
    expect(() => parseHttpAnswer(raw('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab'))).toThrow(/chunked/);
    expect(() => parseHttpAnswer(raw('HTTP/1.1 200 OK\r\nContent-'))).toThrow(/complete answer/);
    expect(() => parseHttpAnswer(raw('SSH-2.0\r\n\r\n'))).toThrow(/not an HTTP answer/);
  });
});
