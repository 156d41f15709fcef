/**
 * Progress while a tool waits. A client that sent a progress token
 * (`_meta.progressToken`, which the SDK's client sends when given
 * `onprogress`) gets `notifications/progress` saying what the call waits on:
 * at once when something happened (a tool that follows the ledger calls
 * `update`), and every `--progress-every` in between, so a client that resets
 * its request timeout on progress (the SDK's `resetTimeoutOnProgress`) keeps
 * a long call alive. Without a token nothing is sent and the tool does no
 * extra work (its body gets no Progress).
 */
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface Progress {
  /** Tell the client `message` now (when given); `waiting` is what the ticks say from now on. */
  update(message: string | undefined, waiting: string): void;
}

export interface ProgressOptions {
  everyMs: number;
  /** What the ticks say until the first update, e.g. "waiting for web (run 01ab) to be ready". */
  waiting: string;
  /** The call's own bound, when it has one (the notification's `total`, in seconds like `progress`). */
  totalMs?: number;
}

export async function withProgress<T>(extra: Extra, o: ProgressOptions, body: (p: Progress | undefined) => Promise<T>): Promise<T> {
  const token = extra._meta?.progressToken;
  if (token === undefined) return body(undefined);
  const started = Date.now();
  let waiting = o.waiting;
  let last = -1;
  let done = false;
  const send = (message: string) => {
    if (done || extra.signal.aborted) return;
    // The protocol wants progress to grow with every notification: seconds waited, nudged past the last one.
    const progress = Math.max((Date.now() - started) / 1000, last + 0.001);
    last = progress;
    const params = {
      progressToken: token,
      progress,
      ...(o.totalMs !== undefined ? { total: o.totalMs / 1000 } : {}),
      message: `${message} (${Math.floor(progress)} s)`,
    };
    extra.sendNotification({ method: 'notifications/progress', params }).catch(() => undefined);
  };
  const timer = setInterval(() => send(waiting), o.everyMs);
  try {
    return await body({
      update(message, next) {
        waiting = next;
        if (message !== undefined) send(message);
      },
    });
  } finally {
    done = true;
    clearInterval(timer);
  }
}

/** How the ticks name a condition: "to be ready", "to end". */
export function conditionPhrase(condition: string): string {
  if (condition === 'exit') return 'to end';
  if (condition === 'completed') return 'to complete';
  return `to be ${condition}`;
}

/** "waiting for web (run 01ab) to be ready". */
export function runWaitPhrase(run: { name: string; shortId: string }, condition: string): string {
  return `waiting for ${run.name} (run ${run.shortId}) ${conditionPhrase(condition)}`;
}
