/** Option sets shared by several commands: the global flags, `run`'s many flags, and ps-like filters. */
import type { Command } from 'commander';
import { commander } from './cjs.js';

import { RUN_STATUSES } from '../events/constants.js';
import type { ListQuery } from '../daemon/api.js';
import type { OwnerScope, RunStatus } from '../events/schemas.js';
import { duration, integer, keyValue, listOf, regex, restartCount, signalName } from './parse.js';
import { commandWords, hostPort, seconds } from './health-flags.js';

const { Option } = commander;

/** From events/constants.ts, which loads nothing (the schemas module would load TypeBox on every `ps`). */
export const STATUSES: readonly RunStatus[] = RUN_STATUSES;

/** --home, --json, --config: accepted before or after the command name. */
const GLOBAL_OPTIONS: readonly (readonly [flags: string, description: string])[] = [
  ['--home <dir>', 'state directory (default $RUNLEDGER_HOME, else $XDG_STATE_HOME/runledger)'],
  ['--json', 'machine-readable output: JSON objects for queries, NDJSON for streams'],
  ['--config <file>', 'config file (default: runledger.config.json in the cwd or above)'],
];

/** The global flags that take a value (the next word is theirs, not a command name). */
export const GLOBAL_VALUE_FLAGS: readonly string[] = GLOBAL_OPTIONS.filter(([f]) => f.includes('<')).map(([f]) => f.split(' ')[0]!);

export function addGlobalOptions(cmd: Command): Command {
  for (const [flags, description] of GLOBAL_OPTIONS) cmd.option(flags, description);
  return cmd;
}

export function addOwnerOptions(cmd: Command, verb: string): Command {
  return cmd
    .option('--session <id>', `${verb} session`)
    .option('--turn <id>', `${verb} turn`)
    .option('--tool-call <id>', `${verb} tool call`)
    .option('--terminal <id>', `${verb} terminal`)
    .option('--extension <id>', `${verb} extension`)
    .option('--hook <id>', `${verb} hook`);
}

export function ownerOf(o: Partial<Record<keyof OwnerScope, string>>): OwnerScope {
  const out: OwnerScope = {};
  for (const k of ['session', 'turn', 'toolCall', 'terminal', 'extension', 'hook'] as const) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

export function addRunOptions(cmd: Command): Command {
  cmd
    .option('--name <name>', 'a name for people (default: the command)')
    .option('--cwd <dir>', 'working directory (default: here)')
    .option('--env <K=V>', 'set a variable for the child (repeatable)', keyValue('--env'))
    .option('--env-file <path>', 'variables read from this file at every spawn (only the path is recorded)')
    .option(
      '--secret-env <name>',
      'treat this variable as secret besides the names the rule finds (repeatable)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option('--label <k=v>', 'a label (repeatable)', keyValue('--label'))
    .option('--slot <slot>', 'at most one active run per slot')
    .option('--key <key>', 'idempotency key: an active run with this key is returned instead')
    .option('--timeout <duration>', 'stop the run after this long (30 = 30s, 500ms, 5m, 1h)', duration('--timeout'))
    .option('--ready-line <regex>', 'ready when an output line matches', regex('--ready-line'))
    .option('--ready-port <port>', 'ready when this TCP port accepts', integer('--ready-port', 1, 65535))
    .option('--ready-socket <path>', 'ready when this Unix socket accepts')
    .option('--ready-timeout <duration>', 'deadline for the ready check (default 20s)', duration('--ready-timeout'))
    .option('--stop-signal <signal>', 'signal that asks the run to stop (default SIGTERM)', signalName('--stop-signal'))
    .option('--grace <duration>', 'wait this long after the stop signal before SIGKILL (default 10s)', duration('--grace'))
    .addOption(new Option('--restart <policy>', 'restart policy').choices(['never', 'on-failure', 'always']))
    .option('--max-restarts <n>', 'give up after n restarts (default 5), or never: unlimited', restartCount('--max-restarts'))
    .option(
      '--min-uptime <duration>',
      'an attempt up this long resets the restart count and backoff (default 10s)',
      duration('--min-uptime'),
    )
    .addOption(new Option('--runtime <runtime>', 'where the process lives').choices(['background', 'tmux']))
    .option('--keep-leftovers', 'when the main process exits, leave what it started running (recorded, not reaped)')
    .option('--health-http <url>', 'health probe: GET this URL, healthy on 2xx/3xx')
    .option(
      '--health-tcp <[host:]port>',
      'health probe: healthy when this TCP port accepts (host default 127.0.0.1)',
      hostPort('--health-tcp'),
    )
    .option(
      '--health-cmd <"cmd args">',
      'health probe: healthy when this command exits 0 (split into words, no shell)',
      commandWords('--health-cmd'),
    )
    .option(
      '--health-interval <duration>',
      'time between health probes (default 10s; a bare number is seconds)',
      seconds('--health-interval'),
    )
    .option('--health-timeout <duration>', 'a probe that takes longer fails (default 5s)', seconds('--health-timeout'))
    .option(
      '--health-retries <n>',
      'failed probes in a row that make the run unhealthy and restart it under its policy (default 3)',
      integer('--health-retries', 1, 1000),
    )
    .option(
      '--health-start-period <duration>',
      'begin probing this long after ready, or after spawn without a ready check (default 0)',
      seconds('--health-start-period'),
    );
  addOwnerOptions(cmd, 'owner');
  return cmd
    .option('--shell', 'run the command line through /bin/sh -c (never without this flag)')
    .option('--wait', "block until the run ends; exit with the child's exit code (125: runledger failed, e.g. the daemon died)")
    .option(
      '--wait-ready',
      'return once the run is ready (spawned, if it has no ready check); fail with the readiness error if it ends first',
    )
    .option('-t, --template <name>', 'start a template from the config file')
    .option('--batch <name>', 'start every template of a config batch under one batch id')
    .option('--bind <k=v>', 'fill a {{var}} of the template (repeatable)', keyValue('--bind'))
    .option('--dry-run', 'print the resolved, normalized spec and start nothing');
}

/** Filters shared by ps and replay. */
export function addListFilters(cmd: Command): Command {
  return cmd
    .option('-a, --all', 'include finished runs')
    .option('--status <status>', `only these statuses (comma-separated or repeated: ${STATUSES.join(', ')})`, listOf('--status', STATUSES))
    .option('--label <k=v>', 'only runs with this label (repeatable)', keyValue('--label'))
    .option('--slot <slot>', 'only the run in this slot')
    .option('--key <key>', 'only runs with this idempotency key')
    .option('--batch <id>', 'only runs of this batch')
    .option('--stack <name>', 'only runs of this stack (runledger up)')
    .option('--session <id>', 'only runs of this session')
    .option('--turn <id>', 'only runs of this turn')
    .option('--tool-call <id>', 'only runs of this tool call')
    .option('--limit <n>', 'at most n runs, newest first', integer('--limit', 1));
}

export function listQueryOf(o: Record<string, unknown>): ListQuery {
  const q: ListQuery = {};
  if (o.all) q.all = true;
  if (o.status) q.status = o.status as RunStatus[];
  if (o.label) q.label = o.label as Record<string, string>;
  // Stack membership is a label the daemon's `up` sets (stacks/plan.ts STACK_LABEL; not imported, to keep `ps` light).
  if (typeof o.stack === 'string') q.label = { ...q.label, 'runledger.stack': o.stack };
  for (const k of ['slot', 'key', 'batch'] as const) if (typeof o[k] === 'string') q[k] = o[k] as string;
  if (typeof o.limit === 'number') q.limit = o.limit;
  const owner = ownerOf(o as Partial<Record<keyof OwnerScope, string>>);
  if (Object.keys(owner).length > 0) q.owner = owner;
  return q;
}
