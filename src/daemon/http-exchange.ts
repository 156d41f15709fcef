/**
 * One HTTP/1.1 request and its whole answer over the daemon's Unix socket,
 * written on node:net instead of node:http. Why: every CLI command is a fresh
 * node process, and loading node:http (its agent, parser binding, incoming
 * and outgoing message classes) cost more than half of the start-up budget
 * (ARCHITECTURE.md, "CLI start-up"). Only the one-shot JSON exchanges use
 * this; the long-lived NDJSON streams keep node:http, where start-up does
 * not matter. The answer is read to the end of the connection
 * (`Connection: close`), so the parser only has to split the head from the
 * body and undo chunked encoding.
 */
import { connect } from 'node:net';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A transport failure, shaped like the errors node:http gives (`code`, `name`) so callers map both alike. */
function transportError(message: string, code: string, name = 'Error'): Error {
  return Object.assign(new Error(message), { code, name });
}

export function exchange(socket: string, method: string, path: string, body: unknown, timeoutMs: number | undefined): Promise<HttpAnswer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const head =
    `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n` +
    (payload ? `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n` : '') +
    '\r\n';
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const conn = connect(socket);
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => conn.destroy(transportError(`no answer within ${timeoutMs} ms`, 'ETIMEDOUT', 'TimeoutError')), timeoutMs);
    const settle = (fn: () => void) => {
      if (timer) clearTimeout(timer);
      fn();
    };
    // write, not end: node's server drops a half-closed client before a slow handler answers. It closes after answering.
    conn.on('connect', () => conn.write(payload ? Buffer.concat([Buffer.from(head), payload]) : head));
    conn.on('data', (c: Buffer) => chunks.push(c));
    conn.on('error', (err) => settle(() => reject(err)));
    conn.on('end', () =>
      settle(() => {
        try {
          resolve(parseHttpAnswer(Buffer.concat(chunks)));
        } catch (err) {
          reject(err);
        }
      }),
    );
  });
}

/** A complete HTTP/1.1 response (head and body up to the close); a cut or malformed one is an ECONNRESET-like error. */
export function parseHttpAnswer(raw: Buffer): HttpAnswer {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw transportError('the connection closed before a complete answer', 'ECONNRESET');
  const [statusLine = '', ...headerLines] = raw.subarray(0, split).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
  if (!status) throw transportError(`not an HTTP answer: ${JSON.stringify(statusLine.slice(0, 40))}`, 'EPROTO');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(split + 4);
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) body = unchunk(body);
  else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (!Number.isSafeInteger(length) || body.length < length)
      throw transportError(`the connection closed after ${body.length} of ${headers['content-length']} bytes`, 'ECONNRESET');
    body = body.subarray(0, length);
  }
  return { status: Number(status), headers, body: body.toString('utf8') };
}

/** Undo `Transfer-Encoding: chunked`; the answer must end with its zero-size chunk. */
function unchunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; ; ) {
    const eol = data.indexOf('\r\n', at);
    const size = eol < 0 ? NaN : Number.parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isSafeInteger(size) || eol + 2 + size > data.length)
      throw transportError('the connection closed inside a chunked answer', 'ECONNRESET');
    if (size === 0) return Buffer.concat(parts);
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
