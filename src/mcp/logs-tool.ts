/**
 * The `logs` tool: one bounded page of a run's output per stream, with the
 * cursor to resume from and a note saying what was left out. `since` is a
 * time as on the CLI (`runledger logs --since`, read with the same timeAgo);
 * `cursor` is where an earlier page ended, in lines per stream.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { RunledgerError } from '../errors.js';
import { timeAgo } from '../supervisor/durations.js';
import type { McpContext } from './context.js';
import { boundPage, cursorOf, type IndexedLine } from './logs-page.js';
import { toolResult } from './result.js';

export interface LogsArgs {
  id: string;
  stream?: 'stdout' | 'stderr' | 'both';
  tail?: number;
  /** An ISO time, or a duration ago (a number is seconds). */
  since?: string | number;
  cursor?: { stdout?: number; stderr?: number };
  attempt?: number;
  maxBytes?: number;
}

const DEFAULT_TAIL = 100;
const DEFAULT_MAX_BYTES = 32 * 1024;
const MAX_LINE_BYTES = 4096;

export async function logsTool(ctx: McpContext, a: LogsArgs): Promise<CallToolResult> {
  const { value, text } = await readLogsPage(ctx, a);
  return toolResult(value, text);
}

/** The page as data and as text (the tool and the log resource both read it). */
export async function readLogsPage(ctx: McpContext, a: LogsArgs): Promise<{ value: Record<string, unknown>; text: string }> {
  if (a.since !== undefined && a.cursor !== undefined)
    throw new RunledgerError('USAGE', 'since and cursor: pick one (a cursor already says where to go on)', { parameter: 'since' });
  const since = a.since === undefined ? undefined : sinceTime(String(a.since));
  const { run } = await ctx.api.show(a.id);
  const streams = a.stream === undefined || a.stream === 'both' ? (['stdout', 'stderr'] as const) : ([a.stream] as const);
  const tail = a.tail ?? (a.cursor ? undefined : DEFAULT_TAIL);
  const maxBytes = a.maxBytes ?? DEFAULT_MAX_BYTES;
  const keep = a.cursor && a.tail === undefined ? 'first' : 'last';
  const lines: IndexedLine[] = [];
  const cursor: { stdout?: number; stderr?: number } = {};
  const notes: string[] = [];
  let truncated = false;
  for (const stream of streams) {
    const from = a.cursor?.[stream] ?? 0;
    // With since the route numbers the lines after its filter; counted first, so the indexes (and the cursor) are
    // of the whole stream, never past a line: a line written meanwhile may be read twice, none skipped.
    const before = since === undefined ? 0 : await ctx.api.lineCount(run.id, stream, a.attempt);
    const got = await readStream(ctx, run.id, { stream, from, since, tail, attempt: a.attempt, budget: maxBytes / streams.length });
    const offset = since === undefined ? 0 : Math.max(0, before - ((got.lines.at(-1)?.index ?? -1) + 1));
    const numbered = offset === 0 ? got.lines : got.lines.map((l) => ({ ...l, index: l.index + offset }));
    const page = boundPage(numbered, { maxBytes: Math.floor(maxBytes / streams.length), maxLineBytes: MAX_LINE_BYTES, keep });
    lines.push(...page.lines);
    const start = since === undefined ? from : offset;
    cursor[stream] = cursorOf(page.lines, stream, since === undefined ? from : before);
    const skipped = (page.lines[0]?.index ?? cursor[stream]) - start;
    if (page.cut > 0 || got.more) {
      truncated = true;
      notes.push(
        keep === 'first'
          ? `${stream}: more lines follow; call again with cursor.${stream}=${cursor[stream]}`
          : `${stream}: ${page.cut} earlier line(s) did not fit in ${maxBytes} bytes`,
      );
    } else if (skipped > 0) notes.push(`${stream}: ${skipped} earlier line(s) not shown (tail ${tail})`);
    if (page.shortened > 0) notes.push(`${stream}: ${page.shortened} line(s) longer than ${MAX_LINE_BYTES} bytes were cut`);
  }
  const attempt = a.attempt ?? (run.attempts.length > 0 ? run.attempts.length : null);
  const note = notes.length > 0 ? notes.join('; ') : undefined;
  const value = { id: run.id, attempt, lines, cursor, truncated, ...(note ? { note } : {}) };
  return { value, text: renderText(run.shortId, attempt, lines, note) };
}

interface Read {
  stream: 'stdout' | 'stderr';
  from: number;
  since: string | undefined;
  tail: number | undefined;
  attempt: number | undefined;
  budget: number;
}

/** Lines of one stream; reading forward stops (more: true) once past the budget, so a huge log is never read whole. */
async function readStream(ctx: McpContext, id: string, r: Read): Promise<{ lines: IndexedLine[]; more: boolean }> {
  const lines: IndexedLine[] = [];
  const abort = new AbortController();
  let bytes = 0;
  let more = false;
  const page = {
    stream: r.stream,
    from: r.from,
    ...(r.since !== undefined ? { since: r.since } : {}),
    ...(r.tail !== undefined ? { n: r.tail } : {}),
    ...(r.attempt ? { attempt: r.attempt } : {}),
  };
  await ctx.api.logs(
    id,
    page,
    (l) => {
      if (abort.signal.aborted) return;
      if (r.tail === undefined && bytes > r.budget) {
        more = true;
        return abort.abort();
      }
      bytes += Buffer.byteLength(l.line) + 1;
      lines.push({ stream: l.stream, line: l.line, index: l.index ?? r.from + lines.length });
    },
    abort.signal,
  );
  return { lines, more };
}

function renderText(shortId: string, attempt: number | null, lines: readonly IndexedLine[], note: string | undefined): string {
  const head = `run ${shortId}${attempt ? `, attempt ${attempt}` : ' (not spawned yet)'}: ${lines.length} line(s)`;
  const body = lines.map((l) => (l.stream === 'stderr' ? `[stderr] ${l.line}` : l.line));
  return [head, ...body, ...(note ? [`(${note})`] : [])].join('\n');
}

/** A bad `since` is the caller's mistake: USAGE, as on the CLI. */
function sinceTime(value: string): string {
  try {
    return timeAgo(value, 'since');
  } catch (err) {
    if (!(err instanceof RunledgerError)) throw err;
    throw new RunledgerError('USAGE', err.message, { ...err.details, parameter: 'since', reason: err.code });
  }
}
