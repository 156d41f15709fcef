/**
 * `up` and `down` (like `runledger up|down`): the stack file is read here
 * (INVALID_STACK with file:line before anything is sent), checked against the
 * safety flags, and applied by the daemon, which answers the report the CLI's
 * `up --json` prints. Runs `up` starts are owned by this MCP session.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StackUpResponse } from '../daemon/api.js';
import type { McpContext } from './context.js';
import { runLines } from './render.js';
import { withProgress } from './progress.js';
import { guarded, toolResult } from './result.js';
import { durationOf, type RunGuard } from './run-spec.js';
import * as S from './schemas.js';
import { stackPlanOf } from './stack-plan.js';
import { withStackProgress } from './up-progress.js';

export function registerStackTools(server: McpServer, ctx: McpContext): void {
  const safe = guarded.bind(null, ctx.log);
  const guard = (): RunGuard => ({
    session: ctx.session.id(),
    labels: ctx.session.labels(),
    defaultCwd: ctx.options.defaultCwd,
    allowCwd: ctx.options.allowCwd,
    noShell: ctx.options.noShell,
  });

  server.registerTool(
    'up',
    {
      description:
        'Start a stack (runledger.yaml or Procfile) in dependency order, restarting only processes whose spec changed; ' +
        'owned by this MCP session. Like `runledger up`.',
      inputSchema: S.StackUpInput,
      outputSchema: S.StackOutput,
      annotations: { destructiveHint: false, openWorldHint: true },
    },
    (a, extra) =>
      safe(async () => {
        const plan = stackPlanOf(a.file, guard(), 'up');
        const report = await withStackProgress(ctx, extra, plan.name, a.wait === true, () =>
          ctx.api.stackUp({
            plan,
            ...(a.names?.length ? { only: a.names } : {}),
            ...(a.wait ? { wait: true } : {}),
            ...(a.timeout !== undefined ? { timeout: durationOf(a.timeout) } : {}),
            baseEnv: baseEnvOf(process.env),
          }),
        );
        return toolResult(report as never, reportText(report));
      }),
  );

  server.registerTool(
    'down',
    {
      description: "Stop a stack's processes, dependents first. Like `runledger down`.",
      inputSchema: S.StackInput,
      outputSchema: S.StackOutput,
    },
    (a, extra) =>
      safe(async () => {
        // down starts nothing: --allow-cwd still applies (it reads a file, and stops runs there), --no-shell does not.
        const plan = stackPlanOf(a.file, guard(), 'down');
        const down = () => ctx.api.stackDown({ plan, ...(a.names?.length ? { only: a.names } : {}), ...(a.wait ? { wait: true } : {}) });
        const waiting = `waiting for stack ${plan.name} to stop`;
        const report = a.wait ? await withProgress(extra, { everyMs: ctx.options.progressEveryMs, waiting }, down) : await down();
        return toolResult(report as never, reportText(report));
      }),
  );
}

function reportText(r: StackUpResponse): string {
  const verbs = (['started', 'restarted', 'stopped', 'unchanged'] as const).filter((v) => r[v].length > 0);
  const head = `stack ${r.stack} (${r.file}): ${verbs.map((v) => `${v} ${r[v].join(', ')}`).join('; ') || 'nothing to do'}`;
  return `${head}\n${runLines(r.runs, 'no runs')}`;
}

/** The server's environment, strings only: the children extend it, as they extend the CLI caller's. Never logged. */
export function baseEnvOf(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  return out;
}
