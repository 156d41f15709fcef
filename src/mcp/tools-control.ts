/** The tools that change things (`run`, `stop`, `restart`, `interrupt`); `--read-only` leaves them out. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { OwnerScope } from '../events/schemas.js';
import type { McpContext } from './context.js';
import { runLine, runLines, waitText } from './render.js';
import { runWaitPhrase, withProgress } from './progress.js';
import { guarded, toolResult } from './result.js';
import { baseEnvOf, registerStackTools } from './tools-stack.js';
import { durationOf, specOfRunArgs } from './run-spec.js';
import * as S from './schemas.js';
import { waitMs } from './tools-query.js';
import { waitForRun } from './wait.js';

/** Every tool this group registers, so `--read-only` can refuse them by name (READ_ONLY) rather than "unknown tool". */
export const CONTROL_TOOLS = ['run', 'stop', 'restart', 'interrupt', 'up', 'down'] as const;
/** Readiness has its own deadline (default 20 s); the wait allows a little more, so the run's own verdict arrives first. */
const READY_DEFAULT_MS = 20_000;
const READY_MARGIN_MS = 5_000;

export function registerControlTools(server: McpServer, ctx: McpContext): void {
  const safe = guarded.bind(null, ctx.log);

  server.registerTool(
    'run',
    {
      description:
        'Start a supervised run (like `runledger run`), owned by this MCP session. With waitReady, answer once it is ready ' +
        'or with the readiness error and stderr tail.',
      inputSchema: S.RunInput,
      outputSchema: S.RunOutput,
      annotations: { destructiveHint: false, openWorldHint: true },
    },
    (a, extra) =>
      safe(async () => {
        const { session, options } = ctx;
        const spec = specOfRunArgs(a, {
          session: session.id(),
          labels: session.labels(),
          defaultCwd: options.defaultCwd,
          allowCwd: options.allowCwd,
          noShell: options.noShell,
        });
        const { run, reused } = await ctx.api.start({ spec, baseEnv: baseEnvOf(process.env) });
        if (!a.waitReady) return toolResult({ run, reused }, `${reused ? 'reused' : 'started'} ${runLine(run)}`);
        const readyMs = a.ready?.timeout !== undefined ? waitMs(a.ready.timeout) : READY_DEFAULT_MS;
        const boundMs = readyMs + READY_MARGIN_MS;
        const progress = { everyMs: ctx.options.progressEveryMs, waiting: runWaitPhrase(run, 'ready'), totalMs: boundMs };
        const wait = await withProgress(extra, progress, () => waitForRun(ctx.api, run.id, 'ready', boundMs, extra.signal));
        return toolResult({ run: wait.run, reused, wait }, waitText(wait));
      }),
  );

  server.registerTool(
    'stop',
    {
      description: 'Stop runs (their whole process trees); waits until they ended unless wait is false.',
      inputSchema: S.StopInput,
      outputSchema: S.RunsOutput,
    },
    (a, extra) =>
      safe(async () => {
        const request = {
          wait: a.wait ?? true,
          ...(a.force ? { force: true } : {}),
          ...(a.grace !== undefined ? { grace: durationOf(a.grace) } : {}),
        };
        // One id: its own route (RUN_NOT_FOUND names it); several are resolved first, so a typo stops nothing.
        const stop = () =>
          a.ids.length === 1 ? ctx.api.stop(a.ids[0]!, request).then((r) => [r]) : ctx.api.bulkStop({ ...request, ids: a.ids });
        // A grace period can be long: ticks while the daemon waits for the trees to end.
        const waiting = `waiting for ${a.ids.join(', ')} to stop`;
        const runs = request.wait ? await withProgress(extra, { everyMs: ctx.options.progressEveryMs, waiting }, stop) : await stop();
        return toolResult({ runs }, runLines(runs, 'nothing stopped'));
      }),
  );

  server.registerTool(
    'restart',
    { description: 'Stop the live attempt and start the next one (same run).', inputSchema: S.IdInput, outputSchema: S.RestartOutput },
    (a) =>
      safe(async () => {
        const run = await ctx.api.restart(a.id);
        return toolResult({ run }, runLine(run));
      }),
  );

  server.registerTool(
    'interrupt',
    {
      description: "Signal exactly the active runs of an owner scope (default: this MCP session's runs). Like `runledger interrupt`.",
      inputSchema: S.InterruptInput,
      outputSchema: S.InterruptOutput,
    },
    (a) =>
      safe(async () => {
        const scope: OwnerScope = { session: a.session ?? ctx.session.id() };
        for (const k of ['turn', 'toolCall', 'terminal', 'extension', 'hook'] as const) if (a[k] !== undefined) scope[k] = a[k];
        const report = await ctx.api.interrupt(scope);
        const text = `interrupt ${JSON.stringify(report.scope)}: ${report.matched.length} matched, ${report.signaled.length} signalled, ${report.stale.length} stale`;
        return toolResult(report as never, text);
      }),
  );

  // up / down (stacks): their own file; refused by --read-only with the others.
  registerStackTools(server, ctx);
}
