/**
 * GET /v1/runs/:id/logs — `stream=stdout|stderr|both`, `n` (last n lines of
 * each selected stream), `follow=1` (then live, across restarts, until the
 * run ends or the client leaves). NDJSON LogLine objects. `from=K` skips
 * the first K lines of each stream (without follow it also numbers every
 * line, `index`), so a caller can resume where it stopped: the MCP `logs`
 * tool's cursor, and its resource subscriptions, which follow from the count
 * they read so no line written in between is missed. Without follow,
 * `attempt=N` reads an earlier attempt. With follow, `cursor=1` numbers each
 * line (`attempt`, `seq`) and `resume=A:O:E` starts at attempt A after its
 * first O stdout and E stderr lines (a follower whose daemon died resumes
 * with the next one: no gap, no repeat).
 */
import { filter, type Subscription } from 'rxjs';
import { isTerminalStatus, type RunState } from '../../projections/run-state.js';
import { resolveAttemptPaths } from '../../runtime/attempt-dir.js';
import type { LogCursor } from '../api.js';
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
      allowKeys(query, ['stream', 'n', 'follow', 'attempt', 'from', 'cursor', 'resume']);
      const which = text(query, 'stream') ?? 'both';
      if (which !== 'stdout' && which !== 'stderr' && which !== 'both')
        throw badRequest('stream must be stdout, stderr or both', { parameter: 'stream' });
      const streams: LogStream[] = which === 'both' ? ['stdout', 'stderr'] : [which];
      const n = integer(query, 'n', 0);
      const follow = flag(query, 'follow');
      const page = { attempt: integer(query, 'attempt', 1), from: integer(query, 'from', 0) };
      if (follow && page.attempt !== undefined)
        throw badRequest('attempt reads what is on disk: not with follow', { parameter: 'attempt' });
      const resume = parseLogCursor(text(query, 'resume'));
      const numbered = flag(query, 'cursor') || resume !== undefined;
      if (numbered && !follow) throw badRequest('cursor and resume need follow=1', { parameter: 'resume' });
      const run = ctx.supervisor.get(params[0]!);
      // Checked before the stream's 200 header goes out.
      if (page.attempt !== undefined && page.attempt > run.attempts.length)
        throw badRequest(`run ${run.shortId} has ${run.attempts.length} attempt(s), not ${page.attempt}`, { parameter: 'attempt' });
      const out = new NdjsonWriter(res);
      const stop = () => out.end();
      ctx.openStreams.add(stop);
      try {
        if (follow) await followLogs(ctx, run, streams, { n, from: page.from, numbered, resume }, out);
        else await printLogs(ctx, run, streams, n, out, page);
      } finally {
        ctx.openStreams.delete(stop);
        out.end();
      }
      return STREAMED;
    }),
  ];
}

interface Page {
  attempt: number | undefined;
  from: number | undefined;
}

async function printLogs(
  ctx: DaemonContext,
  run: RunState,
  streams: LogStream[],
  n: number | undefined,
  out: NdjsonWriter,
  page: Page,
): Promise<void> {
  const attempt = page.attempt ?? run.attempts.length;
  if (attempt === 0) return;
  const dir = resolveAttemptPaths(ctx.paths.home, run.id, attempt).dir;
  const from = page.from ?? 0;
  for (const stream of streams) {
    const files = await logFilesOf(dir, stream);
    const skip = n === undefined ? from : Math.max(from, (await countLines(files)) - n);
    let index = skip;
    await readLines(
      files,
      skip,
      (line) => out.write(page.from === undefined ? { stream, line } : { stream, line, index: index++ }),
      () => out.closed,
    );
  }
}

interface FollowOptions {
  n: number | undefined;
  /** Skip the first `from` lines of each stream of the first attempt (the MCP cursor). */
  from: number | undefined;
  /** Add `attempt` and `seq` to each line. */
  numbered: boolean;
  resume: LogCursor | undefined;
}

async function followLogs(ctx: DaemonContext, run: RunState, streams: LogStream[], o: FollowOptions, out: NdjsonWriter): Promise<void> {
  const from = o.from ?? 0;
  let attempt = o.resume?.attempt ?? run.attempts.length;
  let first = true;
  while (!out.closed) {
    if (attempt === 0 || !first) {
      const next = await nextAttempt(ctx, run.id, attempt, out);
      if (next === undefined) return;
      attempt = next;
    }
    const skip = { stdout: first ? from : 0, stderr: first ? from : 0 };
    if (first && o.resume) Object.assign(skip, { stdout: o.resume.stdout, stderr: o.resume.stderr });
    else if (first && o.n !== undefined) {
      const dir = resolveAttemptPaths(ctx.paths.home, run.id, attempt).dir;
      for (const s of streams) skip[s] = Math.max(from, (await countLines(await logFilesOf(dir, s))) - o.n);
    }
    first = false;
    await pipeOutput(ctx, run.id, { attempt, numbered: o.numbered }, streams, skip, out);
  }
}

/** `A:O:E` as a LogCursor; a malformed one is a bad request. */
function parseLogCursor(value: string | undefined): LogCursor | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+):(\d+):(\d+)$/.exec(value);
  if (!m) throw badRequest('resume must be ATTEMPT:STDOUT_LINES:STDERR_LINES', { parameter: 'resume' });
  return { attempt: Number(m[1]), stdout: Number(m[2]), stderr: Number(m[3]) };
}

/** Forward one attempt's output until it is drained after the exit, or the client leaves. */
function pipeOutput(
  ctx: DaemonContext,
  runId: string,
  { attempt, numbered }: { attempt: number; numbered: boolean },
  streams: LogStream[],
  skip: Record<LogStream, number>,
  out: NdjsonWriter,
): Promise<void> {
  // Line numbers count every line of the stream from the attempt's first, skipped ones included: they are the resume point.
  const seq = { stdout: 0, stderr: 0 };
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
        if (++seq[stream] <= skip[stream]) return;
        if (out.pendingBytes > MAX_PENDING_BYTES) {
          out.fail({ code: 'BAD_REQUEST', message: 'log follower too slow: stream cut off' });
          return finish();
        }
        out.writeNow(numbered ? { stream, line, attempt, seq: seq[stream] } : { stream, line });
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
