/**
 * Catch-up-then-live subscriptions, shared by both ledgers. Pull-based: read
 * one page from the durable log, emit it, repeat; when caught up, wait for
 * the head to pass the next position. Because every event is read from the
 * log by position, and the head is announced only after a durable write,
 * there is no window in which an event can be missed or seen twice, however
 * appends interleave with catch-up — and no subscriber buffers the log.
 * On close a subscription completes only if it delivered every durable
 * event; otherwise it errors with LEDGER_CLOSED, so a consumer can tell.
 */
import { Observable, type BehaviorSubject, type Subscription } from 'rxjs';
import { RunledgerError } from '../errors.js';
import type { EventEnvelope } from '../events/envelope.js';

export const SUBSCRIBE_PAGE_SIZE = 500;

export interface SubscriptionSource {
  /** Head position, advanced after each durable write; completes when the ledger closes. */
  head$: BehaviorSubject<number>;
  readPage(from: number, limit: number): Promise<EventEnvelope[]>;
  /** True once no new read may start: the subscription then completes if it delivered up to the head, else errors LEDGER_CLOSED. */
  isClosed(): boolean;
}

/** Resolves true once head >= position; false if the ledger closes or `cancel` is called first. */
function waitForHead(head$: BehaviorSubject<number>, position: number, onCancel: (cancel: () => void) => void): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    let sub: Subscription | undefined;
    const finish = (reached: boolean) => {
      if (done) return;
      done = true;
      resolve(reached);
      sub?.unsubscribe();
    };
    sub = head$.subscribe({ next: (head) => head >= position && finish(true), complete: () => finish(false) });
    // A BehaviorSubject emits during subscribe(), before `sub` was assigned.
    if (done) sub.unsubscribe();
    onCancel(() => finish(false));
  });
}

export function subscribeFrom(source: SubscriptionSource, from = 1, pageSize = SUBSCRIBE_PAGE_SIZE): Observable<EventEnvelope> {
  if (!Number.isSafeInteger(from) || from < 1) throw new TypeError(`subscribeAll from must be a positive integer, got ${String(from)}`);
  return new Observable<EventEnvelope>((subscriber) => {
    let cancelWait: (() => void) | undefined;
    let next = from;
    const isStopped = () => subscriber.closed;
    // Completion means "everything durable was delivered": a subscription cut short by close says so instead.
    const end = (cause?: unknown) => {
      const head = source.head$.value;
      if (next > head) return subscriber.complete();
      subscriber.error(
        new RunledgerError(
          'LEDGER_CLOSED',
          `the ledger closed before this subscription delivered positions ${next}..${head}`,
          { next, head },
          { cause },
        ),
      );
    };
    const run = async () => {
      while (!isStopped()) {
        if (source.isClosed()) return end();
        if (next > source.head$.value) {
          const reached = await waitForHead(source.head$, next, (cancel) => (cancelWait = cancel));
          if (!reached && isStopped()) return;
          continue;
        }
        const page = await source.readPage(next, pageSize);
        for (const e of page) {
          if (isStopped()) return;
          subscriber.next(e);
          next = e.position + 1;
        }
      }
    };
    run().catch((err: unknown) => {
      if (isStopped()) return;
      // A read cut short by close() ends the subscription like close does; anything else is a failure.
      if (source.isClosed()) end(err);
      else subscriber.error(err);
    });
    return () => cancelWait?.();
  });
}
