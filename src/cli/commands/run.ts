/**
 * `runledger run`: one run from the command line or a template (-t), or a
 * batch of templates (--batch) under one batch id. --dry-run prints the
 * normalized spec and starts nothing; --wait exits with the child's code;
 * --wait-ready returns once the run is ready (NEVER_READY if it ends first).
 */
import { resolve } from 'node:path';
import type { StartRequest } from '../../daemon/api.js';
import { isRunledgerError, RunledgerError } from '../../errors.js';
import type { RunView } from '../../projections/run-view.js';
import type { RunSpecInput } from '../../supervisor/spec.js';
import { openBackend, type Backend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { ResolvedTemplate } from '../config/template.js';
import type { CliContext } from '../context.js';
import { EXIT_INTERRUPTED, usageError } from '../failure.js';
import { renderRunLines } from '../render/reports.js';
import { baseEnvOf, buildSpec, type RunFlags } from '../run-spec.js';
import { checkStrayWords } from '../stray-words.js';
import { exitCodeOf, waitForRuns } from '../wait.js';

export interface RunCommandFlags extends RunFlags {
  template?: string;
  batch?: string;
  bind?: Record<string, string>;
  dryRun?: boolean;
  wait?: boolean;
  waitReady?: boolean;
  /** Start it on this host of the fleet (a request its daemon answers). */
  host?: string;
  fleetUrl?: string;
  requestTimeout?: string;
  /** Lease --slot across the fleet. */
  fleet?: boolean;
}

interface Planned {
  template?: string;
  spec: RunSpecInput;
}

export async function runCommand(ctx: CliContext, argv: string[], flags: RunCommandFlags): Promise<CommandResult> {
  if (flags.template !== undefined && flags.batch !== undefined) throw usageError('use either -t TEMPLATE or --batch NAME, not both');
  if (flags.batch !== undefined && (flags.wait || flags.waitReady))
    throw usageError('--wait and --wait-ready wait for one run; they cannot be used with --batch (use runledger wait ID…)');
  if (flags.wait && flags.waitReady) throw usageError('--wait (until the run ends) or --wait-ready (until it is ready): pick one');
  checkStrayWords(ctx.rawArgs, argv);
  const planned = await plan(ctx, argv, flags);
  if (flags.dryRun) {
    // Exactly what the daemon would record. Only here: the spec module loads the event schemas, which a plain
    // `run` leaves to the daemon (it normalizes before recording anything; flag values were checked at the door).
    const { normalizeSpec } = await import('../../supervisor/spec.js');
    const runs = planned.map((p) => ({ ...(p.template ? { template: p.template } : {}), spec: normalizeSpec(p.spec, ctx.cwd).record }));
    const value = { dryRun: true, ...(flags.batch !== undefined ? { batch: flags.batch } : {}), runs };
    return { value, human: () => JSON.stringify(value, null, 2) };
  }
  if (flags.fleet && planned.some((p) => p.spec.slot === undefined))
    throw usageError('--fleet leases the slot across the fleet: give --slot NAME');
  if (flags.host !== undefined) return runOnHost(ctx, planned, flags);
  const batchId = flags.batch !== undefined ? `batch-${(await import('../../ids.js')).ulidGenerator(ctx.now).next()}` : undefined;
  const backend = await openBackend(ctx);
  try {
    const baseEnv = baseEnvOf(ctx.env);
    const started = [];
    for (const p of planned) {
      const request: StartRequest = {
        spec: p.spec,
        baseEnv,
        ...(p.template ? { template: p.template } : {}),
        ...(batchId ? { batchId } : {}),
        ...(flags.fleet ? { fleetSlot: true } : {}),
      };
      started.push(await backend.start(request));
    }
    if (batchId !== undefined) {
      const runs = started.map((s) => s.run);
      return { value: { batchId, runs }, human: (style) => `batch ${batchId}\n${renderRunLines(runs, style)}` };
    }
    const { run, reused } = started[0]!;
    if (reused) ctx.err.write(`runledger: an active run with key ${JSON.stringify(run.key)} exists; reusing ${run.shortId}\n`);
    // The run is recorded (the audit keeps it), but a command that could not even start is an error now.
    if (run.attempts[0]?.status === 'spawn-failed') {
      const code = run.attempts[0].spawnError ?? 'SPAWN_FAILED';
      const human = () => `error [${code}]: ${(run.reason ?? 'spawn failed').replace(/^spawn failed: /, '')} (run ${run.shortId})`;
      return { value: { run, reused }, human, exitCode: 1, toStderr: true };
    }
    if (!flags.wait && !flags.waitReady) return { value: { run, reused }, human: () => run.shortId };
    // Ctrl-C stops the waiting, not the run: the daemon owns it. Say so, and how to stop it.
    const onInterrupt = (): void => {
      ctx.err.write(`\nrunledger: stopped waiting; run ${run.shortId} goes on (runledger stop ${run.shortId} ends it)\n`);
      process.exit(EXIT_INTERRUPTED);
    };
    process.once('SIGINT', onInterrupt);
    try {
      return await waitAfterStart(ctx, backend, run, reused, flags.waitReady === true);
    } catch (err) {
      throw explainLostDaemon(err, run.shortId);
    } finally {
      process.off('SIGINT', onInterrupt);
    }
  } finally {
    await backend.close();
  }
}

/** --wait-ready: the ready run; --wait: the child's output while it runs, then its exit code. */
async function waitAfterStart(
  ctx: CliContext,
  backend: Backend,
  run: RunView,
  reused: boolean,
  untilReady: boolean,
): Promise<CommandResult> {
  if (untilReady) {
    const [ready] = await waitForRuns(backend, [run.id], 'ready');
    return { value: { run: ready!, reused }, human: () => run.shortId };
  }
  if (!ctx.json) {
    // Like `docker run`: the child's output on our stdout/stderr while we wait, our own words on stderr.
    ctx.err.write(`runledger: run ${run.shortId} started; its output follows\n`);
    await backend.logs(run.id, { stream: 'both', follow: true }, ({ stream, line }) =>
      (stream === 'stdout' ? ctx.out : ctx.err).write(`${line}\n`),
    );
  } else {
    // NDJSON for scripts: one object per output line (time: when runledger read it), then the result object.
    await backend.logs(run.id, { stream: 'both', follow: true }, ({ stream, line }) =>
      ctx.out.write(`${JSON.stringify({ stream, line, time: new Date(ctx.now()).toISOString() })}\n`),
    );
  }
  const [ended] = await waitForRuns(backend, [run.id], 'exit');
  if (!ctx.json) ctx.err.write(`runledger: run ${ended!.shortId} ${ended!.status}${ended!.reason ? ` (${ended!.reason})` : ''}\n`);
  return { value: { run: ended!, reused }, human: () => '', exitCode: exitCodeOf(ended!) };
}

/** The daemon went away while we waited: exit 125 (DAEMON_UNAVAILABLE), saying what became of the run. */
function explainLostDaemon(err: unknown, shortId: string): unknown {
  const lost = ['DAEMON_UNAVAILABLE', 'SUPERVISOR_CLOSED', 'LEDGER_CLOSED'] as const;
  if (!(err instanceof RunledgerError) || !lost.some((code) => err.code === code)) return err;
  return new RunledgerError(
    'DAEMON_UNAVAILABLE',
    `lost the daemon while waiting for run ${shortId} (${err.message}); the run's process is not stopped by this: ` +
      `the next daemon adopts it (runledger show ${shortId})`,
    { ...err.details, runId: shortId },
    { cause: err },
  );
}

async function plan(ctx: CliContext, argv: string[], flags: RunCommandFlags): Promise<Planned[]> {
  const bind = flags.bind ?? {};
  if (flags.batch === undefined && flags.template === undefined) {
    if (flags.bind) throw usageError('--bind fills a template: use it with -t TEMPLATE or --batch NAME');
    return [{ spec: buildSpec(argv, flags, ctx.cwd) }];
  }
  // Config and its schema load only when a template is asked for.
  const [{ loadConfig }, { resolveBatch, resolveTemplate }] = await Promise.all([
    import('../config/load.js'),
    import('../config/template.js'),
  ]);
  const loaded = loadConfig(ctx.config, ctx.cwd);
  await warnIfFleetSlotsIgnored(ctx, loaded.file, loaded.config.fleet?.slots);
  const templates: ResolvedTemplate[] =
    flags.batch !== undefined ? resolveBatch(loaded, flags.batch, bind) : [resolveTemplate(loaded, flags.template!, bind)];
  const planned = templates.map((t) => ({
    template: t.name,
    spec: inConfig(loaded.file, t.name, () => buildSpec(argv, flags, ctx.cwd, t.spec)),
  }));
  // The schema let the file through, but a field can still be wrong (a duration that is none): say so with the
  // file and the path, as for schema errors, not as if the command line were wrong. Flag values were checked at the door.
  const { normalizeSpec } = await import('../../supervisor/spec.js');
  for (const p of planned) inConfig(loaded.file, p.template, () => normalizeSpec(p.spec, ctx.cwd));
  return planned;
}

/** `fleet.slots` declares for the whole host, so the daemon reads it from the home's config only: say so rather than let it look in force. */
async function warnIfFleetSlotsIgnored(ctx: CliContext, file: string, slots: string[] | undefined): Promise<void> {
  if (!slots?.length) return;
  const homeConfig = resolve(await ctx.home(), 'runledger.config.json');
  if (resolve(file) !== homeConfig)
    ctx.err.write(`runledger: ${file}: fleet.slots is read from the home's config (${homeConfig}) only; it declares nothing here\n`);
}

function inConfig<T>(file: string, template: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!isRunledgerError(err, 'INVALID_SPEC')) throw err;
    const field = typeof err.details?.field === 'string' ? err.details.field : undefined;
    const path = `templates.${template}${field ? `.${field}` : ''}`;
    const what = field && err.message.startsWith(`${field}: `) ? err.message.slice(field.length + 2) : err.message;
    throw new RunledgerError('INVALID_CONFIG', `${file}: ${path}: ${what}`, { file, template, path }, { cause: err });
  }
}

/** `run --host B`: one run, started by B's daemon; the caller's environment stays here (only -e/--env-file travel). */
async function runOnHost(ctx: CliContext, planned: Planned[], flags: RunCommandFlags): Promise<CommandResult> {
  if (planned.length !== 1 || flags.wait || flags.waitReady)
    throw usageError('--host starts one run on another host: --batch, --wait and --wait-ready are not available with it');
  const { sendRemote } = await import('./remote.js');
  const payload = { spec: planned[0]!.spec, ...(flags.fleet ? { fleetSlot: true } : {}) };
  const { run, reused } = await sendRemote<{ run: RunView; reused: boolean }>(ctx, flags, 'run', payload);
  return { value: { run, reused, host: flags.host }, human: () => run.shortId };
}
