/**
 * GET /v1/runs/:id/logs — `stream=stdout|stderr|both`, `n` (last n lines of
 * each selected stream), `follow=1` (then live, across restarts, until the
 * run ends or the client leaves), `attempt=N|all`, `timestamps=1`, `since`
 * (ISO). NDJSON LogLine objects.
 *
 * Resuming: `from=K` skips the first K lines of each stream (without follow
 * it also numbers every line, `index`, so the MCP `logs` tool's cursor and
 * its resource subscriptions go on from a count). With follow, `cursor=1`
 * numbers each line (`attempt`, `seq`) and `resume=A:O:E` starts at attempt A
 * after its first O stdout and E stderr lines: a `logs -f` whose daemon died
 * resumes with the next one, no gap, no repeat.
 */
import { filter, type Subscription } from 'rxjs';
import { attemptsToRead } from '../../projections/log-attempts.js';
import { isTerminalStatus, type RunState } from '../../projections/run-state.js';
import { resolveAttemptPaths } from '../../runtime/attempt-dir.js';
import { StreamTimes } from '../../runtime/log-times.js';
import type { LogCursor } from '../api.js';
import type { DaemonContext } from '../context.js';
import { badRequest } from '../http/errors.js';
import { allowKeys, flag, integer, text } from '../http/query.js';
import { NdjsonWriter } from '../http/reply.js';
import { route, STREAMED, type Route } from '../http/router.js';
import { countStreamLines, readStreamLines, type LogStream } from '../log-files.js';
import { logLineOf, parseLogsQuery, type LogsShape } from '../log-query.js';

/** A follower whose client reads slower than the child writes is cut off rather than buffered without end. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

export function logRoutes(ctx: DaemonContext): Route[] {
  return [
    route('GET', '/v1/runs/:id/logs', async ({ params, query, res }) => {
      allowKeys(query, ['stream', 'n', 'follow', 'attempt', 'timestamps', 'since', 'from', 'cursor', 'resume']);
      const which = text(query, 'stream') ?? 'both';
      if (which !== 'stdout' && which !== 'stderr' && which !== 'both')
        throw badRequest('stream must be stdout, stderr or both', { parameter: 'stream' });
      const streams: LogStream[] = which === 'both' ? ['stdout', 'stderr'] : [which];
      const n = integer(query, 'n', 0);
      const follow = flag(query, 'follow');
      const shape = parseLogsQuery(query);
      const from = integer(query, 'from', 0);
      const resume = parseLogCursor(text(query, 'resume'));
      const numbered = flag(query, 'cursor') || resume !== undefined;
      if (numbered && !follow) throw badRequest('cursor and resume need follow=1', { parameter: 'resume' });
      const run = ctx.supervisor.get(params[0]!);
      // Checked before the stream opens, so a pruned run or a missing attempt is a plain error answer.
      const attempts = attemptsToRead(run, shape.attempt);
      const out = new NdjsonWriter(res);
      const stop = () => out.end();
      ctx.openStreams.add(stop);
      try {
        if (follow) await followLogs(ctx, run, streams, { n, from, numbered, resume }, out, shape);
        else await printLogs(ctx, run.id, attempts, streams, { n, from }, out, shape);
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
  runId: string,
  attempts: number[],
  streams: LogStream[],
  { n, from }: { n: number | undefined; from: number | undefined },
  out: NdjsonWriter,
  shape: LogsShape,
): Promise<void> {
  for (const attempt of attempts) {
    const dir = resolveAttemptPaths(ctx.paths.home, runId, attempt).dir;
    for (const stream of streams) {
      if (from === undefined) {
        await readStreamLines(
          dir,
          stream,
          { ...shape.read, ...(n !== undefined ? { n } : {}) },
          (l) => out.write(logLineOf(stream, l.line, l.time, attempt, shape)),
          () => out.closed,
        );
        continue;
      }
      // Numbered from the stream's first line (after `since`): the first to send is `from`, or the last n if later.
      const start = n === undefined ? from : Math.max(from, (await countStreamLines(dir, stream, shape.read)) - n);
      let index = 0;
      await readStreamLines(
        dir,
        stream,
        shape.read,
        (l) => {
          const i = index++;
          if (i >= start) out.write({ ...logLineOf(stream, l.line, l.time, attempt, shape), index: i });
        },
        () => out.closed,
      );
    }
  }
}

interface FollowOptions {
  n: number | undefined;
  /** Skip the first `from` lines of each stream of the first attempt followed (the MCP cursor). */
  from: number | undefined;
  /** Add `attempt` and `seq` to each line. */
  numbered: boolean;
  resume: LogCursor | undefined;
}

async function followLogs(
  ctx: DaemonContext,
  run: RunState,
  streams: LogStream[],
  o: FollowOptions,
  out: NdjsonWriter,
  shape: LogsShape,
): Promise<void> {
  const { n } = o;
  // --attempt N follows that attempt alone; all starts from the first; by default the latest and the ones after it.
  let attempt =
    o.resume?.attempt ??
    (shape.attempt === undefined ? run.attempts.length : shape.attempt === 'all' ? Math.min(1, run.attempts.length) : shape.attempt);
  let first = true;
  while (!out.closed) {
    if (attempt === 0 || !first) {
      if (typeof shape.attempt === 'number') return;
      const next = await nextAttempt(ctx, run.id, attempt, out);
      if (next === undefined) return;
      attempt = next;
    }
    const from = first ? (o.from ?? 0) : 0;
    const skip = { stdout: from, stderr: from };
    if (first && o.resume) Object.assign(skip, { stdout: o.resume.stdout, stderr: o.resume.stderr });
    else if ((first || shape.attempt === 'all') && n !== undefined) {
      const dir = resolveAttemptPaths(ctx.paths.home, run.id, attempt).dir;
      for (const s of streams) skip[s] = Math.max(from, (await countStreamLines(dir, s, shape.read)) - n);
    }
    first = false;
    await pipeOutput(ctx, run.id, { attempt, numbered: o.numbered }, streams, skip, out, shape);
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
  shape: LogsShape,
): Promise<void> {
  const dir = resolveAttemptPaths(ctx.paths.home, runId, attempt).dir;
  const times = { stdout: new StreamTimes(dir, 'stdout.log'), stderr: new StreamTimes(dir, 'stderr.log') };
  // Lines are written in order: a time lookup (a read of the index) must not let a later line overtake.
  let queue = Promise.resolve();
  let waiting = 0;
  // Line numbers count every line of the stream from the attempt's first, skipped ones included: they are the resume point.
  const seq = { stdout: 0, stderr: 0 };
  return new Promise((resolve) => {
    let sub: Subscription | undefined;
    const finish = () => {
      sub?.unsubscribe();
      resolve();
    };
    const send = (stream: LogStream, line: string, time: number | undefined, n: number) => {
      if (out.closed) return;
      if (out.pendingBytes > MAX_PENDING_BYTES) {
        out.fail({ code: 'BAD_REQUEST', message: 'log follower too slow: stream cut off' });
        return finish();
      }
      const l = logLineOf(stream, line, time, attempt, shape);
      out.writeNow(numbered ? { ...l, attempt, seq: n } : l);
    };
    // Both runtimes leave the same files; the background adapter's reader serves tmux runs too.
    sub = ctx.runtimes.background.output(runId, attempt).subscribe({
      next: ({ stream, line, at }) => {
        if (!streams.includes(stream)) return;
        const n = ++seq[stream];
        if (!shape.read.times) {
          if (skip[stream] > 0) return void skip[stream]--;
          return send(stream, line, undefined, n);
        }
        const timed = (time: number | undefined) => {
          if (shape.read.since !== undefined && !(time !== undefined && time >= shape.read.since)) return;
          if (skip[stream] > 0) return void skip[stream]--;
          send(stream, line, time, n);
        };
        // Most lookups hit the index already read: those go out at once, unless earlier lines still wait for a read.
        const cached = at ? times[stream].cachedTimeOf(at.ino, at.offset) : undefined;
        if (cached !== null && waiting === 0) return timed(cached);
        waiting++;
        queue = queue.then(async () => {
          timed(at ? await times[stream].timeOf(at.ino, at.offset).catch(() => undefined) : undefined);
          waiting--;
        });
      },
      error: (err: unknown) => {
        ctx.log.warn('log tail failed', { runId, attempt, message: (err as Error).message });
        finish();
      },
      complete: () => void queue.then(finish),
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
