/**
 * An EventStore that anchors what it writes: every durable append is shown to
 * a Checkpointer, and close() writes the final checkpoint before the ledger
 * closes. A wrapper, not a ledger option, so the store core stays unaware of
 * files outside its directory.
 */
import type { EventStore, Head } from '../store/event-store.js';
import type { Checkpointer } from './checkpointer.js';

export function withCheckpoints<S extends EventStore>(store: S, checkpointer: Checkpointer): S {
  const append: EventStore['append'] = async (streamId, events, options) => {
    const result = await store.append(streamId, events, options);
    const last = result.events[result.events.length - 1];
    if (!result.duplicate && last) checkpointer.observe({ position: last.position, hash: last.hash });
    return result;
  };
  const close = async (): Promise<void> => {
    let head: Head | undefined;
    if (!store.closed) head = await store.head().catch(() => undefined);
    await checkpointer.close(head && head.position > 0 ? head : undefined);
    await store.close();
  };
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'append') return append;
      if (prop === 'close') return close;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
