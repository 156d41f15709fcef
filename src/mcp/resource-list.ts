/**
 * `notifications/resources/list_changed` for the log resources. The list is
 * the newest runs, so it changes when a run is requested, ends, or its logs
 * are pruned. Those events are followed on the daemon's event stream from the
 * client's first `resources/list` on (a client that never listed has nothing
 * to refresh), from the ledger head that listing saw, so nothing after it is
 * missed. A burst (a run requested, spawned and ended at once) is one
 * notification. If the daemon goes away the follow ends; the next listing
 * follows again (this never starts a daemon on its own).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { coalesce } from './coalesce.js';
import type { McpContext } from './context.js';

/** The events that change what the resource list holds. */
export const LIST_CHANGING_EVENTS = ['RunRequested', 'RunEnded', 'LogsPruned'];
const COALESCE_MS = 100;

export interface ResourceListChanges {
  /** Follow from this ledger position on (the head a listing reflected), unless already following. */
  followFrom(position: number): void;
  close(): void;
}

export function watchResourceList(server: McpServer, ctx: McpContext): ResourceListChanges {
  const notify = coalesce(() => server.sendResourceListChanged(), COALESCE_MS);
  let following: AbortController | undefined;
  return {
    followFrom(position) {
      if (following) return;
      const abort = (following = new AbortController());
      ctx.api
        .events({ type: LIST_CHANGING_EVENTS, from: position + 1, follow: true }, () => notify.poke(), abort.signal)
        .catch((err: unknown) => {
          if (!abort.signal.aborted) ctx.log(`runledger mcp: following run changes stopped: ${(err as Error).message}`);
        })
        .finally(() => {
          if (following === abort) following = undefined;
        });
    },
    close() {
      following?.abort();
      following = undefined;
      notify.cancel();
    },
  };
}
