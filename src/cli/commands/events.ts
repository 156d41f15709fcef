/**
 * `runledger events [--run ID] [--type T] [--from POS] [--since TIME] [-f]`:
 * one envelope per line (NDJSON with --json). Following needs a daemon (only
 * it appends); without one the history is printed and that is said on stderr.
 */
import type { EventEnvelope } from '../../events/envelope.js';
import { openReadBackend, type EventsQuery } from '../backend.js';
import { followAcrossDaemons } from '../follow-daemon.js';
import { STREAMED, type CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { renderEventLine } from '../render/events.js';
import type { Style } from '../render/style.js';
import { printWarnings } from '../warnings.js';

export async function eventsCommand(ctx: CliContext, query: EventsQuery, style: Style): Promise<CommandResult> {
  let backend = await openReadBackend(ctx);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  try {
    const follow = query.follow && backend.source === 'daemon';
    const print = (e: EventEnvelope) => ctx.emit(e, () => renderEventLine(e, style));
    if (follow) {
      // Survive the daemon: positions are gap-free, so the next one resumes right after the last event printed.
      let last: number | undefined;
      const track = (e: EventEnvelope) => {
        last = e.position;
        print(e);
      };
      backend = await followAcrossDaemons(ctx, {
        backend,
        signal: abort.signal,
        what: query.run === undefined ? 'the ledger' : `the events of run ${query.run}`,
        open: (b, signal) => b.events({ ...query, follow, ...(last === undefined ? {} : { from: last + 1 }) }, track, signal),
      });
    } else {
      await backend.events({ ...query, follow }, print, abort.signal).catch((err: unknown) => {
        if (!abort.signal.aborted) throw err;
      });
    }
    printWarnings(ctx, backend.warnings());
    if (query.follow && !follow)
      ctx.err.write('runledger: no daemon is running, so nothing is appending; not following (`runledger daemon start` to follow live)\n');
    return STREAMED;
  } finally {
    process.off('SIGINT', stop);
    await backend.close();
  }
}
