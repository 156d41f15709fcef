/** Commands on runs: start, list, inspect, stop, restart, logs, attach, interrupt. */
import type { Command } from 'commander';
import { attemptChoice, duration, integer, keyValue, pastTime } from '../parse.js';
import { parseDuration } from '../../supervisor/durations.js';
import { addListFilters, addOwnerOptions, addRunOptions, listQueryOf, ownerOf } from '../options.js';
import type { Define } from './define.js';
import { addFleetReadOptions, addRemoteOptions, selectFleet } from '../fleet-flags.js';

export function registerRunCommands(define: Define, _program: Command): void {
  const runCmd = addRunOptions(
    define('run [command...]', 'start a run (runledger run [options] -- CMD [ARGS...]); prints its short id', async (ctx, args, o) =>
      (await import('../commands/run.js')).runCommand(ctx, args, { ...o, ...ownerOf(o) }),
    ),
  ).option('--fleet', 'lease --slot across the fleet (SLOT_BUSY names the host and run holding it)');
  addRemoteOptions(runCmd).passThroughOptions();

  addFleetReadOptions(
    addListFilters(
      define('ps', 'list runs (active ones unless --all)', async (ctx, _a, o) => {
        selectFleet(ctx, o);
        return o.watch
          ? (await import('../commands/ps-watch.js')).psWatchCommand(
              ctx,
              listQueryOf(o),
              parseDuration(String(o.interval ?? '2s'), '--interval'),
            )
          : (await import('../commands/ps.js')).psCommand(ctx, listQueryOf(o));
      }),
    ),
  )
    .option('-w, --watch', 'redraw the table in place every interval (a terminal; with --json: one NDJSON snapshot per interval)')
    .option('--interval <duration>', 'how often --watch redraws (default 2s)', duration('--interval'));

  addFleetReadOptions(
    define('show <id>', 'a run, its attempts and its timeline', async (ctx, [id], o) => {
      selectFleet(ctx, o);
      return (await import('../commands/show.js')).showCommand(ctx, id!);
    }),
  );

  const stopCmd = define('stop [ids...]', 'stop runs and wait until they ended', async (ctx, ids, o) =>
    (await import('../commands/stop.js')).stopCommand(ctx, ids, o),
  )
    .option('--all', 'every active run')
    .option('--label <k=v>', 'active runs with this label (repeatable)', keyValue('--label'))
    .option('--force', 'SIGKILL the process group at once')
    .option('--grace <duration>', 'override the grace period before SIGKILL', duration('--grace'));
  addRemoteOptions(stopCmd).option('--all-hosts', 'find the run in the fleet and stop it on its host');

  addRemoteOptions(
    define('restart <id>', 'stop the live attempt and start the next one (same run)', async (ctx, [id], o) =>
      (await import('../commands/restart.js')).restartCommand(ctx, id!, o),
    ),
  ).option('--all-hosts', 'find the run in the fleet and restart it on its host');
  define('rerun <id>', 'a new run with the same spec', async (ctx, [id], o) =>
    (await import('../commands/restart.js')).rerunCommand(ctx, id!, o),
  )
    .option('--env <K=V>', "set a variable (the original's secret values among them; repeatable)", keyValue('--env'))
    .option('--env-file <path>', 'read variables from this file at every spawn, instead of the recorded one')
    .option('--cwd <dir>', 'run in this directory instead of the recorded one')
    .option('--timeout <duration>', 'stop the new run after this long, instead of the recorded timeout', duration('--timeout'))
    .option('--name <name>', 'name the new run')
    .option('--label <k=v>', 'set or change a label (repeatable)', keyValue('--label'));

  define('logs <id>', "a run's output (latest attempt unless --attempt)", async (ctx, [id], o) =>
    (await import('../commands/logs.js')).logsCommand(ctx, id!, o),
  )
    .option('-f, --follow', 'keep printing new output')
    .option('-n, --lines <n>', 'only the last n lines (of each stream of each attempt shown)', integer('--lines'))
    .option('--stdout', 'only stdout')
    .option('--stderr', 'only stderr')
    .option('--attempt <n|all>', 'an earlier attempt by number (1 is the first), or all of them in order', attemptChoice('--attempt'))
    .option('--timestamps', 'prefix each line with the time the shim read it (ISO; "-" when the log has no time index)')
    .option('--since <duration|time>', 'only lines read since then: a duration ago (30s, 5m, 1h) or an ISO time', pastTime('--since'));

  define('attach <id>', 'attach the terminal to a tmux run', async (ctx, [id]) =>
    (await import('../commands/attach.js')).attachCommand(ctx, id!),
  );

  addRemoteOptions(
    addOwnerOptions(
      define('interrupt', 'signal exactly the active runs of an owner scope; prints the report', async (ctx, _a, o) =>
        (await import('../commands/interrupt.js')).interruptCommand(ctx, ownerOf(o), o),
      ),
      'the',
    ),
  );
}
