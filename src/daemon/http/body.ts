/**
 * Request bodies: size-capped before anything is parsed, then JSON. A body
 * over the cap is refused with 413 as soon as the header (or the running
 * count) says so; the rest is discarded unread rather than buffered, and
 * not cut off, so the client can finish sending and then read the 413.
 */
import type { IncomingMessage } from 'node:http';
import { MAX_BODY_BYTES } from '../api.js';
import { badRequest } from './errors.js';

/** The parsed JSON body, or undefined when there is none. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const text = await collect(req, limit);
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`malformed JSON body: ${(err as Error).message}`);
  }
}

function collect(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      chunks.length = 0;
      req.resume(); // keep reading into nothing (Node bounds it with requestTimeout)
      reject(tooLarge(limit));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function tooLarge(limit: number) {
  return badRequest(`request body larger than ${limit} bytes`, { limit }, 413);
}
