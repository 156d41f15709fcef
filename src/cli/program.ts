/**
 * The command tree. Only commander and the option parsers load up front;
 * each action imports its command module when it runs, so `runledger ps`
 * never loads what `run` or the ledger need.
 */
import type { Command } from 'commander';
import { commander } from './cjs.js';
import type { CommandResult } from './command.js';
import { createContext, type CliContext, type GlobalFlags } from './context.js';
import { anchor, duration, integer, keyValue, pastTime, positionOrTime } from './parse.js';
import { addGlobalOptions, addListFilters, addOwnerOptions, addRunOptions, listQueryOf, ownerOf } from './options.js';
import { styleFor } from './render/style.js';

const { Command: CommandClass } = commander;

type Opts = Record<string, unknown>;
type Action = (ctx: CliContext, args: string[], opts: Opts) => Promise<CommandResult>;
export type OnResult = (ctx: CliContext, result: CommandResult) => void;

export function buildProgram(version: string, onResult: OnResult, onContext: (ctx: CliContext) => void): Command {
  const program = new CommandClass('runledger')
    .description('An event-sourced process supervisor: every spawn, signal and exit is an immutable event in a ledger.')
    .version(version, '-V, --version')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError();
  addGlobalOptions(program);

  const command = (spec: string, description: string, act: Action, parent: Command = program) => {
    const cmd = addGlobalOptions(parent.command(spec).description(description));
    cmd.action(async (...raw: unknown[]) => {
      const self = raw[raw.length - 1] as Command;
      const opts = self.optsWithGlobals<Opts>();
      const ctx = createContext(opts as GlobalFlags);
      onContext(ctx);
      const args = raw.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a : a === undefined ? [] : [a])) as string[];
      onResult(ctx, await act(ctx, args, opts));
    });
    return cmd;
  };

  addRunOptions(
    command('run [command...]', 'start a run (runledger run [options] -- CMD [ARGS...]); prints its short id', async (ctx, args, o) =>
      (await import('./commands/run.js')).runCommand(ctx, args, { ...o, ...ownerOf(o) }),
    ),
  ).passThroughOptions();

  addListFilters(
    command('ps', 'list runs (active ones unless --all)', async (ctx, _a, o) =>
      (await import('./commands/ps.js')).psCommand(ctx, listQueryOf(o)),
    ),
  );

  command('show <id>', 'a run, its attempts and its timeline', async (ctx, [id]) =>
    (await import('./commands/show.js')).showCommand(ctx, id!),
  );

  command('stop [ids...]', 'stop runs and wait until they ended', async (ctx, ids, o) =>
    (await import('./commands/stop.js')).stopCommand(ctx, ids, o),
  )
    .option('--all', 'every active run')
    .option('--label <k=v>', 'active runs with this label (repeatable)', keyValue('--label'))
    .option('--force', 'SIGKILL the process group at once')
    .option('--grace <duration>', 'override the grace period before SIGKILL', duration('--grace'));

  command('restart <id>', 'stop the live attempt and start the next one (same run)', async (ctx, [id]) =>
    (await import('./commands/restart.js')).restartCommand(ctx, id!),
  );
  command('rerun <id>', 'a new run with the same spec', async (ctx, [id], o) =>
    (await import('./commands/restart.js')).rerunCommand(ctx, id!, o),
  )
    .option('--env <K=V>', "set a variable (the original's secret values among them; repeatable)", keyValue('--env'))
    .option('--env-file <path>', 'read variables from this file at every spawn, instead of the recorded one');

  command('logs <id>', "a run's output (latest attempt)", async (ctx, [id], o) =>
    (await import('./commands/logs.js')).logsCommand(ctx, id!, o),
  )
    .option('-f, --follow', 'keep printing new output')
    .option('-n, --lines <n>', 'only the last n lines', integer('--lines'))
    .option('--stdout', 'only stdout')
    .option('--stderr', 'only stderr');

  command('attach <id>', 'attach the terminal to a tmux run', async (ctx, [id]) =>
    (await import('./commands/attach.js')).attachCommand(ctx, id!),
  );

  addOwnerOptions(
    command('interrupt', 'signal exactly the active runs of an owner scope; prints the report', async (ctx, _a, o) =>
      (await import('./commands/interrupt.js')).interruptCommand(ctx, ownerOf(o)),
    ),
    'the',
  );

  command('events', 'the ledger, one event per line', async (ctx, _a, o) => {
    const types = o.type as string[] | undefined;
    if (types) (await import('./event-types.js')).checkEventTypes(types);
    const query = { follow: o.follow === true, ...pick(o, ['run', 'from', 'since']), ...(types ? { type: types } : {}) };
    return (await import('./commands/events.js')).eventsCommand(ctx, query, styleFor(ctx.out, ctx.env));
  })
    .option('--run <id>', "only this run's events")
    .option('--type <type>', 'only these event types (comma-separated or repeated)', (v: string, p?: string[]) => [
      ...(p ?? []),
      ...v.split(',').filter(Boolean),
    ])
    .option('--from <position>', 'start at this ledger position', integer('--from', 1))
    .option('--since <time>', 'only events at or after TIME (ISO-8601, or 30s, 5m, 1h ago)', pastTime('--since'))
    .option('-f, --follow', 'keep printing new events (needs a daemon)');

  addListFilters(
    command('replay', 'the runs as they stood at a past position or time', async (ctx, _a, o) =>
      (await import('./commands/replay.js')).replayCommand(ctx, o.at as { position: number } | { time: string }, listQueryOf(o)),
    ),
  ).requiredOption('--at <pos|time>', 'a ledger position, an ISO-8601 time, or a duration ago (30s, 5m, 1h)', positionOrTime('--at'));

  command('verify', 'check the hash chain and the signed checkpoints (exit 1 when broken)', async (ctx, _a, o) =>
    (await import('./commands/verify.js')).verifyCommand(ctx, pick(o, ['anchor', 'file'])),
  )
    .option('--anchor <position:hash>', 'also check an anchor you kept (the head an earlier verify --json printed)', anchor('--anchor'))
    .option('--file <export.ndjson>', 'verify an export (its chain and signed trailer) instead of the ledger');
  command('import <file>', 'build the ledger from a verified export (the ledger must be empty)', async (ctx, [file]) =>
    (await import('./commands/import.js')).importCommand(ctx, file!),
  );
  command('salvage', 'move a damaged ledger aside and rebuild it from its verified prefix', async (ctx) =>
    (await import('./commands/salvage.js')).salvageCommand(ctx),
  );
  command('reconcile', 'check live attempts against the machine now; prints the report', async (ctx) =>
    (await import('./commands/reconcile.js')).reconcileCommand(ctx),
  );
  command('export', 'the ledger as NDJSON (stored envelopes, verifiable)', async (ctx, _a, o) =>
    (await import('./commands/export.js')).exportCommand(ctx, o.run as string | undefined),
  ).option('--run <id>', "only this run's stream");

  const daemon = addGlobalOptions(program.command('daemon').description('start, stop or inspect the daemon'));
  const sub = (spec: string, description: string, act: Action) => command(spec, description, act, daemon);
  sub('start', 'start the daemon (detached unless --foreground)', async (ctx, _a, o) =>
    (await import('./commands/daemon.js')).daemonStartCommand(ctx, o),
  ).option('--foreground', 'run in this terminal');
  sub('stop', 'stop the daemon (runs keep running unless --stop-runs)', async (ctx, _a, o) =>
    (await import('./commands/daemon.js')).daemonStopCommand(ctx, o),
  ).option('--stop-runs', 'stop every run first');
  sub('status', 'is the daemon running, where, since when', async (ctx) => (await import('./commands/daemon.js')).daemonStatusCommand(ctx));
  return program;
}

function pick(o: Opts, keys: string[]): Opts {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
