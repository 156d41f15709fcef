/**
 * `runledger up`, `down` and `schema stack`. The CLI reads the stack file
 * (errors with file, line and path before anything is sent) and the daemon
 * applies the plan, so a Ctrl-C here stops the waiting, not the `up`.
 */
import type { StackDownRequest, StackUpRequest, StackUpResponse } from '../../daemon/api.js';
import type { StackPlan } from '../../stacks/plan.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { loadLifecycle } from '../daemon-link.js';
import { renderRunTable } from '../render/runs.js';
import type { Style } from '../render/style.js';
import { baseEnvOf } from '../run-spec.js';

export interface StackFlags {
  file?: string;
  wait?: boolean;
  timeout?: string;
}

export async function upCommand(ctx: CliContext, names: string[], flags: StackFlags): Promise<CommandResult<StackUpResponse>> {
  const plan = await loadPlan(ctx, flags.file);
  const body: StackUpRequest = {
    plan,
    ...(names.length ? { only: names } : {}),
    ...(flags.wait ? { wait: true } : {}),
    // A bare number typed by a person is seconds (the shared rule for durations).
    ...(flags.timeout !== undefined ? { timeout: /^\d+$/.test(flags.timeout.trim()) ? `${flags.timeout.trim()}s` : flags.timeout } : {}),
    baseEnv: baseEnvOf(ctx.env),
  };
  const value = await post(ctx, '/v1/stacks/up', body);
  return { value, human: (style) => renderReport(value, style, ctx.now()) };
}

export async function downCommand(ctx: CliContext, names: string[], flags: StackFlags): Promise<CommandResult<StackUpResponse>> {
  const plan = await loadPlan(ctx, flags.file);
  const body: StackDownRequest = { plan, ...(names.length ? { only: names } : {}), ...(flags.wait ? { wait: true } : {}) };
  const value = await post(ctx, '/v1/stacks/down', body);
  return { value, human: (style) => renderReport(value, style, ctx.now()) };
}

export async function schemaCommand(_ctx: CliContext, what: string): Promise<CommandResult> {
  if (what !== 'stack') throw (await import('../failure.js')).usageError(`no schema "${what}" (known: stack)`);
  const schema = (await import('../../stacks/file/schema.js')).stackJsonSchema();
  // The schema is the answer with or without --json.
  return { value: schema, human: () => JSON.stringify(schema, null, 2) };
}

/** The stack file in force, read, validated and resolved (INVALID_STACK / STACK_NOT_FOUND). */
export async function loadPlan(ctx: CliContext, file: string | undefined): Promise<StackPlan> {
  const [{ findStackFile }, { loadStackFile }, { toPlan }] = await Promise.all([
    import('../../stacks/file/find.js'),
    import('../../stacks/file/parse.js'),
    import('../../stacks/file/to-plan.js'),
  ]);
  return toPlan(loadStackFile(findStackFile(file, ctx.cwd), ctx.cwd));
}

async function post(ctx: CliContext, path: string, body: unknown): Promise<StackUpResponse> {
  const home = await ctx.home();
  const client = await (await loadLifecycle()).ensureDaemon(home);
  // Ctrl-C ends our waiting only: the daemon carries on with the plan.
  const onInterrupt = (): void => {
    ctx.err.write('\nrunledger: stopped waiting; the daemon goes on applying the stack (runledger ps --stack NAME shows it)\n');
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    return await client.request<StackUpResponse>('POST', path, body);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

function renderReport(r: StackUpResponse, style: Style, now: number): string {
  const parts = (
    [
      ['started', r.started],
      ['restarted', r.restarted],
      ['stopped', r.stopped],
      ['unchanged', r.unchanged],
    ] as const
  )
    .filter(([, names]) => names.length > 0)
    .map(([verb, names]) => `${verb}: ${names.join(', ')}`);
  const head = `stack ${r.stack} (${r.file})\n${parts.join('\n') || 'nothing to do'}`;
  return `${head}\n\n${renderRunTable(r.runs, style, now, 'no runs')}`;
}
