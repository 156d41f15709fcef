/** The query tools (`ps`, `show`, `logs`, `wait`, `events`): the only ones `--read-only` exposes. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ListQuery } from '../daemon/api.js';
import type { RunStatus } from '../events/schemas.js';
import { parseDuration } from '../supervisor/durations.js';
import type { McpContext } from './context.js';
import { eventsTool } from './events-tool.js';
import { logsTool } from './logs-tool.js';
import { conditionPhrase, runWaitPhrase, withProgress } from './progress.js';
import { runLine, runLines, waitText } from './render.js';
import { guarded, toolResult } from './result.js';
import * as S from './schemas.js';
import { waitBound } from './wait-bound.js';
import { waitForRun } from './wait.js';

const DEFAULT_LIMIT = 100;
const TIMELINE_CAP = 200;
const READ = { readOnlyHint: true, openWorldHint: false } as const;

export function registerQueryTools(server: McpServer, ctx: McpContext): void {
  const safe = guarded.bind(null, ctx.log);

  server.registerTool(
    'ps',
    {
      description: 'List runs (active ones unless all). Like `runledger ps --json`.',
      inputSchema: S.ListInput,
      outputSchema: S.ListOutput,
      annotations: READ,
    },
    (a) =>
      safe(async () => {
        const q: ListQuery = { limit: a.limit ?? DEFAULT_LIMIT };
        if (a.all) q.all = true;
        if (a.status) q.status = a.status as RunStatus[];
        if (a.label) q.label = a.label;
        for (const k of ['slot', 'key'] as const) if (a[k] !== undefined) q[k] = a[k];
        if (a.session !== undefined) q.owner = { session: a.session === 'self' ? ctx.session.id() : a.session };
        const value = await ctx.api.list(q);
        return toolResult(value as never, runLines(value.runs, a.all ? 'no runs' : 'no active runs'));
      }),
  );

  server.registerTool(
    'show',
    {
      description: 'A run, its attempts and its timeline. Like `runledger show --json`.',
      inputSchema: S.IdInput,
      outputSchema: S.ShowOutput,
      annotations: READ,
    },
    (a) =>
      safe(async () => {
        const value = await ctx.api.show(a.id);
        const cut = value.timeline.length - TIMELINE_CAP;
        const timeline = cut > 0 ? value.timeline.slice(-TIMELINE_CAP) : value.timeline;
        const note = cut > 0 ? `${cut} earlier timeline entries left out (see the events tool)` : undefined;
        const text = [runLine(value.run), ...timeline.map((t) => `#${t.position} ${t.time} ${t.text}`), ...(note ? [`(${note})`] : [])];
        return toolResult({ ...value, timeline, ...(note ? { note } : {}) } as never, text.join('\n'));
      }),
  );

  server.registerTool(
    'logs',
    {
      description:
        "A run's output, bounded: the last `tail` lines, or those since a time, or forward from an earlier answer's `cursor`; says what was left out.",
      inputSchema: S.LogsInput,
      outputSchema: S.LogsOutput,
      annotations: READ,
    },
    (a) => safe(() => logsTool(ctx, a)),
  );

  server.registerTool(
    'wait',
    {
      description:
        'Wait until a run is ready or has ended, at most `timeout` (cut to 10 min, said in `timeoutCapped`). Answers met/timedOut, the exit code, a readiness failure.',
      inputSchema: S.WaitInput,
      outputSchema: S.WaitOutput,
      annotations: READ,
    },
    (a, extra) =>
      safe(async () => {
        const { timeoutMs, capped } = waitBound(a.timeout === undefined ? undefined : waitMs(a.timeout));
        const waiting = `waiting for run ${a.id} ${conditionPhrase(a.for)}`;
        const progress = { everyMs: ctx.options.progressEveryMs, waiting, totalMs: timeoutMs };
        const value = await withProgress(extra, progress, (p) => {
          // Only a client that asked for progress costs the extra read: the run's name for the messages.
          if (p)
            ctx.api.show(a.id).then(
              ({ run }) => p.update(runWaitPhrase(run, a.for), runWaitPhrase(run, a.for)),
              () => undefined,
            );
          return waitForRun(ctx.api, a.id, a.for, timeoutMs, extra.signal);
        });
        const answer = capped
          ? { ...value, timeoutCapped: { requestedMs: capped.requestedMs, appliedMs: capped.appliedMs }, note: capped.note }
          : value;
        return toolResult(answer as never, waitText(answer));
      }),
  );

  server.registerTool(
    'events',
    {
      description: 'Ledger events, filtered (run, type, since, from) and bounded (limit). Like `runledger events --json`.',
      inputSchema: S.EventsInput,
      outputSchema: S.EventsOutput,
      annotations: READ,
    },
    (a) => safe(() => eventsTool(ctx, a)),
  );
}

/** Seconds when a number, as on the command line. */
export const waitMs = (d: number | string): number => (typeof d === 'number' ? Math.round(d * 1000) : parseDuration(d, 'timeout'));
