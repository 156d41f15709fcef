/**
 * Progress while a tool waits: a client that sent a progress token gets
 * `notifications/progress` every few seconds, so one that resets its request
 * timeout on progress (the SDK's `resetTimeoutOnProgress`) can wait longer
 * than its default 60 s.
 */
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export const PROGRESS_EVERY_MS = 5000;

export async function withProgress<T>(extra: Extra, what: string, totalMs: number, body: () => Promise<T>): Promise<T> {
  const token = extra._meta?.progressToken;
  if (token === undefined) return body();
  const started = Date.now();
  const timer = setInterval(() => {
    const progress = Math.round((Date.now() - started) / 1000);
    const params = { progressToken: token, progress, total: Math.round(totalMs / 1000), message: `waiting for ${what} (${progress} s)` };
    extra.sendNotification({ method: 'notifications/progress', params }).catch(() => undefined);
  }, PROGRESS_EVERY_MS);
  try {
    return await body();
  } finally {
    clearInterval(timer);
  }
}
