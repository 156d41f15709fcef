/**
 * Progress of an MCP `up`: while the daemon applies the stack (one POST that
 * may wait minutes on dependencies), the ledger events it appends are
 * followed from the head on and folded (stack-progress.ts), so the client
 * hears at once which process waits for which dependency, what started and
 * what became ready; the ticks in between repeat what still blocks.
 */
import type { McpContext } from './context.js';
import { withProgress, type Extra } from './progress.js';
import { foldStackProgress, initialStackProgress, STACK_PROGRESS_TYPES, waitingPhrase } from './stack-progress.js';

export async function withStackProgress<T>(
  ctx: McpContext,
  extra: Extra,
  stack: string,
  wait: boolean,
  body: () => Promise<T>,
): Promise<T> {
  let state = initialStackProgress(stack, wait);
  return withProgress(extra, { everyMs: ctx.options.progressEveryMs, waiting: waitingPhrase(state) }, async (progress) => {
    if (!progress) return body();
    // The head before the daemon is asked: every event of this `up` comes after it.
    const { position } = await ctx.api.list({ limit: 1 });
    const abort = new AbortController();
    const following = ctx.api
      .events(
        { type: [...STACK_PROGRESS_TYPES], from: position + 1, follow: true },
        (e) => {
          const step = foldStackProgress(state, e);
          state = step.state;
          // Every change of state comes with a message; other stacks' events bring neither.
          if (step.message !== undefined) progress.update(step.message, waitingPhrase(state));
        },
        abort.signal,
      )
      // Progress is a courtesy: a follow that fails leaves the ticks, never fails the tool.
      .catch((err: unknown) => {
        if (!abort.signal.aborted) ctx.log(`runledger mcp: following up of ${stack} for progress: ${(err as Error).message}`);
      });
    try {
      return await body();
    } finally {
      abort.abort();
      await following;
    }
  });
}
