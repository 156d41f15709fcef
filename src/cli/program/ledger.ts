/** Commands on the ledger itself: events, replay, verify, import, salvage, reconcile, export. */
import type { Command } from 'commander';
import { anchor, integer, pastTime, positionOrTime } from '../parse.js';
import { addListFilters, listQueryOf } from '../options.js';
import { styleFor } from '../render/style.js';
import { pick, type Define } from './define.js';
import { addFleetReadOptions, selectFleet } from '../fleet-flags.js';

export function registerLedgerCommands(define: Define, _program: Command): void {
  addFleetReadOptions(
    define('events', 'the ledger, one event per line', async (ctx, _a, o) => {
      selectFleet(ctx, o);
      const types = o.type as string[] | undefined;
      if (types) (await import('../event-types.js')).checkEventTypes(types);
      const query = { follow: o.follow === true, ...pick(o, ['run', 'from', 'since']), ...(types ? { type: types } : {}) };
      return (await import('../commands/events.js')).eventsCommand(ctx, query, styleFor(ctx.out, ctx.env));
    })
      .option('--run <id>', "only this run's events")
      .option('--type <type>', 'only these event types (comma-separated or repeated)', (v: string, p?: string[]) => [
        ...(p ?? []),
        ...v.split(',').filter(Boolean),
      ])
      .option('--from <position>', 'start at this ledger position', integer('--from', 1))
      .option('--since <time>', 'only events at or after TIME (ISO-8601, or 30s, 5m, 1h ago)', pastTime('--since'))
      .option('-f, --follow', 'keep printing new events (needs a daemon)'),
  );

  addFleetReadOptions(
    addListFilters(
      define('replay', 'the runs as they stood at a past position or time', async (ctx, _a, o) => {
        selectFleet(ctx, o);
        return (await import('../commands/replay.js')).replayCommand(ctx, o.at as { position: number } | { time: string }, listQueryOf(o));
      }),
    ),
  ).requiredOption('--at <pos|time>', 'a ledger position, an ISO-8601 time, or a duration ago (30s, 5m, 1h)', positionOrTime('--at'));

  define('verify', 'check the hash chain and the signed checkpoints (exit 1 when broken)', async (ctx, _a, o) =>
    (await import('../commands/verify.js')).verifyCommand(ctx, pick(o, ['anchor', 'file'])),
  )
    .option('--anchor <position:hash>', 'also check an anchor you kept (the head an earlier verify --json printed)', anchor('--anchor'))
    .option('--file <export.ndjson>', 'verify an export (its chain and signed trailer) instead of the ledger');
  define('import <file>', 'build the ledger from a verified export (the ledger must be empty)', async (ctx, [file]) =>
    (await import('../commands/import.js')).importCommand(ctx, file!),
  );
  define('salvage', 'move a damaged ledger aside and rebuild it from its verified prefix', async (ctx) =>
    (await import('../commands/salvage.js')).salvageCommand(ctx),
  );
  define('reconcile', 'check live attempts against the machine now; prints the report', async (ctx) =>
    (await import('../commands/reconcile.js')).reconcileCommand(ctx),
  );
  define('export', 'the ledger as NDJSON (stored envelopes, verifiable)', async (ctx, _a, o) =>
    (await import('../commands/export.js')).exportCommand(ctx, o.run as string | undefined),
  ).option('--run <id>', "only this run's stream");
}
