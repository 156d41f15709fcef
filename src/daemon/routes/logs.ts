/**
 * GET /v1/runs/:id/logs — `stream=stdout|stderr|both`, `n` (last n lines of
 * each selected stream), `follow=1` (then live, across restarts, until the
 * run ends or the client leaves), `attempt` (that attempt only; default the
 * latest, and with follow every later one). NDJSON LogLine objects.
 */
import { filter, type Subscription } from 'rxjs';
import { isTerminalStatus, type RunState } from '../../projections/run-state.js';
import { resolveAttemptPaths } from '../../runtime/attempt-dir.js';
import type { DaemonContext } from '../context.js';
import { badRequest } from '../http/errors.js';
import { allowKeys, flag, integer, text } from '../http/query.js';
import { NdjsonWriter } from '../http/reply.js';
import { route, STREAMED, type Route } from '../http/router.js';
import { countLines, logFilesOf, readLines, type LogStream } from '../log-files.js';

/** A follower whose client reads slower than the child writes is cut off rather than buffered without end. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

export function logRoutes(ctx: DaemonContext): Route[] {
  return [
    route('GET', '/v1/runs/:id/logs', async ({ params, query, res }) => {
      allowKeys(query, ['stream', 'n', 'follow', 'attempt']);
      const which = text(query, 'stream') ?? 'both';
      if (which !== 'stdout' && which !== 'stderr' && which !== 'both')
        throw badRequest('stream must be stdout, stderr or both', { parameter: 'stream' });
      const streams: LogStream[] = which === 'both' ? ['stdout', 'stderr'] : [which];
      const n = integer(query, 'n', 0);
      const follow = flag(query, 'follow');
      const run = ctx.supervisor.get(params[0]!);
      const attempt = integer(query, 'attempt', 1, Math.max(1, run.attempts.length));
      const out = new NdjsonWriter(res);
      const stop = () => out.end();
      ctx.openStreams.add(stop);
      try {
        if (follow && attempt !== undefined) await followAttempt(ctx, run.id, attempt, streams, n, out);
        else if (follow) await followLogs(ctx, run, streams, n, out);
        else await printLogs(ctx, run, streams, n, out, attempt);
      } finally {
        ctx.openStreams.delete(stop);
        out.end();
      }
      return STREAMED;
    }),
  ];
}

async function printLogs(
  ctx: DaemonContext,
  run: RunState,
  streams: LogStream[],
  n: number | undefined,
  out: NdjsonWriter,
  chosen?: number,
): Promise<void> {
  const attempt = chosen ?? run.attempts.length;
  if (attempt === 0) return;
  const dir = resolveAttemptPaths(ctx.paths.home, run.id, attempt).dir;
  for (const stream of streams) {
    const files = await logFilesOf(dir, stream);
    const skip = n === undefined ? 0 : Math.max(0, (await countLines(files)) - n);
    await readLines(
      files,
      skip,
      (line) => out.write({ stream, line }),
      () => out.closed,
    );
  }
}

async function followLogs(
  ctx: DaemonContext,
  run: RunState,
  streams: LogStream[],
  n: number | undefined,
  out: NdjsonWriter,
): Promise<void> {
  let attempt = run.attempts.length;
  let first = true;
  while (!out.closed) {
    if (attempt === 0 || !first) {
      const next = await nextAttempt(ctx, run.id, attempt, out);
      if (next === undefined) return;
      attempt = next;
    }
    const skip = { stdout: 0, stderr: 0 };
    if (first && n !== undefined) {
      const dir = resolveAttemptPaths(ctx.paths.home, run.id, attempt).dir;
      for (const s of streams) skip[s] = Math.max(0, (await countLines(await logFilesOf(dir, s))) - n);
    }
    first = false;
    await pipeOutput(ctx, run.id, attempt, streams, skip, out);
  }
}

/** One chosen attempt (the page's attempt selector): its last n lines, then live until it is drained after its exit. */
async function followAttempt(
  ctx: DaemonContext,
  runId: string,
  attempt: number,
  streams: LogStream[],
  n: number | undefined,
  out: NdjsonWriter,
): Promise<void> {
  const skip = { stdout: 0, stderr: 0 };
  if (n !== undefined) {
    const dir = resolveAttemptPaths(ctx.paths.home, runId, attempt).dir;
    for (const s of streams) skip[s] = Math.max(0, (await countLines(await logFilesOf(dir, s))) - n);
  }
  await pipeOutput(ctx, runId, attempt, streams, skip, out);
}

/** Forward one attempt's output until it is drained after the exit, or the client leaves. */
function pipeOutput(
  ctx: DaemonContext,
  runId: string,
  attempt: number,
  streams: LogStream[],
  skip: Record<LogStream, number>,
  out: NdjsonWriter,
): Promise<void> {
  return new Promise((resolve) => {
    let sub: Subscription | undefined;
    const finish = () => {
      sub?.unsubscribe();
      resolve();
    };
    // Both runtimes leave the same files; the background adapter's reader serves tmux runs too.
    sub = ctx.runtimes.background.output(runId, attempt).subscribe({
      next: ({ stream, line }) => {
        if (!streams.includes(stream)) return;
        if (skip[stream] > 0) return void skip[stream]--;
        if (out.pendingBytes > MAX_PENDING_BYTES) {
          out.fail({ code: 'BAD_REQUEST', message: 'log follower too slow: stream cut off' });
          return finish();
        }
        out.writeNow({ stream, line });
      },
      error: (err: unknown) => {
        ctx.log.warn('log tail failed', { runId, attempt, message: (err as Error).message });
        finish();
      },
      complete: finish,
    });
    out.onClose(finish);
  });
}

/** The attempt after `after` once it exists; undefined when the run ended without one or the client left. */
function nextAttempt(ctx: DaemonContext, runId: string, after: number, out: NdjsonWriter): Promise<number | undefined> {
  const decide = (r: RunState): number | undefined | null =>
    r.attempts.length > after ? after + 1 : isTerminalStatus(r.status) ? undefined : null;
  const now = decide(ctx.supervisor.get(runId));
  if (now !== null) return Promise.resolve(now);
  return new Promise((resolve) => {
    let sub: Subscription | undefined;
    const finish = (v: number | undefined) => {
      sub?.unsubscribe();
      resolve(v);
    };
    sub = ctx.supervisor.runs$.pipe(filter((r) => r.id === runId)).subscribe({
      next: (r) => {
        const d = decide(r);
        if (d !== null) finish(d);
      },
      complete: () => finish(undefined),
    });
    out.onClose(() => finish(undefined));
  });
}
