/**
 * The tools' input and output schemas (zod, turned into JSON Schema by the
 * SDK). Inputs are named as the run spec and the CLI flags; outputs declare
 * the fields agents use and let the rest of the CLI's `--json` objects through.
 */
import * as z from 'zod';
import { WAIT_CONDITIONS } from '../projections/wait-condition.js';

/** A duration: a number of seconds, or a string such as "500ms", "30s", "5m". */
export const Duration = z.union([z.number().positive(), z.string().min(1)]).describe('seconds, or a duration such as "500ms", "30s", "5m"');
const Id = z.string().min(1).describe('a run id: its short id, or a unique prefix');
const StringMap = z.record(z.string(), z.string());

export const RunInput = {
  command: z.string().min(1).describe('the program to run (or, with shell, the command line)'),
  args: z.array(z.string()).optional().describe('its arguments'),
  shell: z.boolean().optional().describe('run `command` as a command line through /bin/sh -c'),
  cwd: z.string().optional().describe('working directory (default: the first --allow-cwd, else the server cwd)'),
  env: StringMap.optional().describe('variables for the child (secret-named ones are redacted in the ledger)'),
  secretEnv: z.array(z.string()).optional().describe('treat these variables as secret too'),
  name: z.string().optional(),
  labels: StringMap.optional(),
  slot: z.string().optional().describe('at most one active run per slot'),
  key: z.string().optional().describe('idempotency key: an active run with this key is returned instead'),
  timeout: Duration.optional().describe('stop the run after this long'),
  ready: z
    .object({
      line: z.string().optional().describe('ready when an output line matches this regex'),
      port: z.number().int().min(1).max(65535).optional().describe('ready when this TCP port accepts (in the run tree)'),
      socket: z.string().optional().describe('ready when this Unix socket accepts'),
      timeout: Duration.optional().describe('deadline for the check (default 20s)'),
    })
    .optional(),
  restart: z
    .object({
      policy: z.enum(['never', 'on-failure', 'always']),
      maxRestarts: z.number().int().min(0).optional(),
      minUptime: Duration.optional(),
    })
    .optional(),
  stopSignal: z.string().optional(),
  grace: Duration.optional().describe('after the stop signal, wait this long before SIGKILL'),
  turn: z.string().optional().describe('owner turn (the session is this MCP session)'),
  toolCall: z.string().optional().describe('owner tool call'),
  waitReady: z.boolean().optional().describe('answer once the run is ready, or with the readiness error and stderr tail'),
};

export const RunView = z.looseObject({
  id: z.string(),
  shortId: z.string(),
  name: z.string(),
  status: z.string(),
  reason: z.string().nullable(),
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  command: z.string(),
  args: z.array(z.string()),
  cwd: z.string(),
  labels: StringMap,
  owner: StringMap,
  ready: z.boolean(),
  restarts: z.number(),
  attempts: z.array(z.looseObject({ n: z.number(), pid: z.number().nullable(), status: z.string() })),
});

const ReadinessFailure = z.object({ attempt: z.number(), reason: z.string(), message: z.string(), stderrTail: z.array(z.string()) });

export const WaitOutput = z.object({
  for: z.enum(WAIT_CONDITIONS),
  met: z.boolean(),
  timedOut: z.boolean(),
  why: z.string().nullable(),
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  readinessFailure: ReadinessFailure.nullable(),
  run: RunView,
  timeoutCapped: z
    .object({ requestedMs: z.number(), appliedMs: z.number() })
    .optional()
    .describe('present when the timeout asked for was above the 10-min cap and was cut to it'),
  note: z.string().optional(),
});

export const RunOutput = z.object({ run: RunView, reused: z.boolean(), wait: WaitOutput.optional() });

export const ListInput = {
  all: z.boolean().optional().describe('include finished runs'),
  status: z.array(z.string()).optional(),
  label: StringMap.optional(),
  slot: z.string().optional(),
  key: z.string().optional(),
  session: z.string().optional().describe('only runs of this session ("self": this MCP session)'),
  limit: z.number().int().min(1).max(500).optional().describe('at most n runs, newest first (default 100)'),
};
export const ListOutput = z.looseObject({ source: z.string(), position: z.number(), runs: z.array(RunView) });

export const IdInput = { id: Id };
export const ShowOutput = z.looseObject({ run: RunView, timeline: z.array(z.unknown()) });

const Stream = z.enum(['stdout', 'stderr']);
export const LogsInput = {
  id: Id,
  stream: z.enum(['stdout', 'stderr', 'both']).optional().describe('default both'),
  tail: z.number().int().min(1).max(10_000).optional().describe('only the last n lines of each stream (default 100 unless cursor)'),
  since: z
    .union([z.number().positive(), z.string().min(1)])
    .optional()
    .describe(
      'only lines written at or after this: an ISO time, or a duration ago ("30s", "5m"; a number is seconds), as `runledger logs --since`',
    ),
  cursor: z
    .object({ stdout: z.number().int().min(0).optional(), stderr: z.number().int().min(0).optional() })
    .optional()
    .describe('resume: the `cursor` of an earlier answer (lines already read, per stream); reads forward from there'),
  attempt: z.number().int().min(1).optional().describe('which attempt (default the latest)'),
  maxBytes: z.number().int().min(1024).max(1_048_576).optional().describe('budget for the lines (default 32768)'),
};
export const LogsOutput = z.object({
  id: z.string(),
  attempt: z.number().nullable(),
  lines: z.array(z.object({ stream: Stream, line: z.string(), index: z.number() })),
  cursor: z.object({ stdout: z.number().optional(), stderr: z.number().optional() }),
  truncated: z.boolean(),
  note: z.string().optional(),
});

export const WaitInput = {
  id: Id,
  for: z
    .enum(WAIT_CONDITIONS)
    .describe(
      'ready: the latest attempt passed its ready check; exit: the run ended; healthy: its health check passes (ready without one)',
    ),
  timeout: Duration.optional().describe('give up after this long (default 30s; above 10m it is cut to 10m and the answer says so)'),
};

export const StopInput = {
  ids: z.array(Id).min(1).describe('runs to stop'),
  force: z.boolean().optional().describe('SIGKILL at once'),
  grace: Duration.optional(),
  wait: z.boolean().optional().describe('answer once they ended (default true)'),
};
export const RunsOutput = z.object({ runs: z.array(RunView) });
export const RestartOutput = z.object({ run: RunView });

export const InterruptInput = {
  session: z.string().optional().describe('default: this MCP session'),
  turn: z.string().optional(),
  toolCall: z.string().optional(),
  terminal: z.string().optional(),
  extension: z.string().optional(),
  hook: z.string().optional(),
};
const Ref = z.looseObject({ id: z.string(), shortId: z.string() });
export const InterruptOutput = z.looseObject({ scope: StringMap, matched: z.array(Ref), signaled: z.array(Ref), stale: z.array(Ref) });

export const EventsInput = {
  run: Id.optional(),
  type: z.array(z.string()).optional().describe('only these event types'),
  from: z.number().int().min(1).optional().describe('from this ledger position on (then the first `limit`)'),
  since: z.string().optional().describe('an ISO time, or a duration ago such as "5m"'),
  limit: z.number().int().min(1).max(1000).optional().describe('at most n events (default 100): the first from `from`, else the latest'),
};
export const EventsOutput = z.object({
  events: z.array(z.looseObject({ position: z.number(), type: z.string(), streamId: z.string() })),
  truncated: z.boolean(),
  next: z.number().nullable(),
  note: z.string().optional(),
});

export const StackInput = {
  file: z
    .string()
    .min(1)
    .optional()
    .describe("the stack file (runledger.yaml or a Procfile); default: found from the server's cwd upwards"),
  names: z
    .array(z.string().min(1))
    .optional()
    .describe('only these processes (up: and what they depend on; down: and what depends on them)'),
  wait: z.boolean().optional().describe('up: also wait until every process is ready (or completed); down: until every stopped one ended'),
};
export const StackUpInput = { ...StackInput, timeout: Duration.optional().describe('deadline of each dependency wait (default 60s)') };
export const StackOutput = z.looseObject({
  stack: z.string(),
  file: z.string(),
  specHash: z.string(),
  started: z.array(z.string()),
  restarted: z.array(z.string()),
  stopped: z.array(z.string()),
  unchanged: z.array(z.string()),
  runs: z.array(RunView),
});
