/** Writing answers: one JSON document, or an NDJSON stream that respects backpressure and notices a gone client. */
import type { ServerResponse } from 'node:http';
import type { MappedError } from './errors.js';

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(res: ServerResponse, mapped: MappedError): void {
  if (res.headersSent) {
    // A stream already answered 200: its last line carries the error (see api.ts).
    if (!res.writableEnded) res.end(JSON.stringify(mapped.body) + '\n');
    return;
  }
  sendJson(res, mapped.status, mapped.body);
}

/** An NDJSON response: `write` waits while the client's buffer is full; `closed` turns true when it went away. */
export class NdjsonWriter {
  private gone = false;

  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
    // Headers now, so a follower knows the stream is open before the first event.
    res.flushHeaders();
    res.on('close', () => {
      this.gone = true;
    });
  }

  get closed(): boolean {
    return this.gone || this.res.writableEnded || this.res.destroyed;
  }

  /** Called once when the client disconnects (or at once if it already has). */
  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.res.once('close', fn);
  }

  async write(value: unknown): Promise<void> {
    await this.writeRaw(JSON.stringify(value) + '\n');
  }

  async writeRaw(text: string): Promise<void> {
    if (this.closed) return;
    if (this.res.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  /** Bytes queued for a client that has not read them yet. */
  get pendingBytes(): number {
    return this.res.writableLength;
  }

  /** Write without waiting (for push sources); callers watch `pendingBytes`. */
  writeNow(value: unknown): void {
    if (!this.closed) this.res.write(JSON.stringify(value) + '\n');
  }

  /** End the stream with an error line (the client turns it into a RunledgerError). */
  fail(error: { code: string; message: string }): void {
    if (!this.closed) this.res.end(JSON.stringify({ error }) + '\n');
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }
}
