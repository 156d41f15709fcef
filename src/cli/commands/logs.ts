/**
 * `runledger logs ID [-f] [-n N] [--stdout|--stderr] [--attempt N|all] [--timestamps] [--since D|TIME]`:
 * NDJSON `{stream, line, attempt?, time?}` with --json, raw lines otherwise (with --timestamps, `TIME line`).
 */
import type { LogCursor, LogLine } from '../../daemon/api.js';
import { openReadBackend } from '../backend.js';
import { followAcrossDaemons } from '../follow-daemon.js';
import { advanceLogCursor, withoutSeq } from '../log-cursor.js';
import { STREAMED, type CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { usageError } from '../failure.js';
import { printWarnings } from '../warnings.js';

export interface LogsFlags {
  follow?: boolean;
  lines?: number;
  stdout?: boolean;
  stderr?: boolean;
  attempt?: number | 'all';
  timestamps?: boolean;
  /** ISO, from pastTime(). */
  since?: string;
}

export async function logsCommand(ctx: CliContext, id: string, flags: LogsFlags): Promise<CommandResult> {
  if (flags.stdout && flags.stderr) throw usageError('--stdout and --stderr: pick one (neither means both)');
  const stream = flags.stdout ? 'stdout' : flags.stderr ? 'stderr' : 'both';
  let backend = await openReadBackend(ctx);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  try {
    const query = {
      stream,
      follow: flags.follow === true,
      ...(flags.lines !== undefined ? { n: flags.lines } : {}),
      ...(flags.attempt !== undefined ? { attempt: flags.attempt } : {}),
      ...(flags.timestamps ? { timestamps: true } : {}),
      ...(flags.since !== undefined ? { since: flags.since } : {}),
    } as const;
    const print = (l: LogLine) =>
      ctx.json
        ? ctx.out.write(JSON.stringify(l) + '\n')
        : (l.stream === 'stderr' ? ctx.err : ctx.out).write((flags.timestamps ? `${l.time ?? '-'} ` : '') + l.line + '\n');
    if (query.follow && backend.source === 'daemon') {
      // Survive the daemon: resume with the next one after the last line printed.
      let cursor: LogCursor | undefined;
      const track = (l: LogLine) => {
        cursor = advanceLogCursor(cursor, l);
        print(withoutSeq(l));
      };
      backend = await followAcrossDaemons(ctx, {
        backend,
        signal: abort.signal,
        what: `the logs of run ${id}`,
        open: (b, signal) => b.logs(id, { ...query, cursor: true, ...(cursor ? { resume: cursor } : {}) }, track, signal),
      });
    } else {
      await backend.logs(id, query, print, abort.signal).catch((err: unknown) => {
        if (!abort.signal.aborted) throw err;
      });
    }
    printWarnings(ctx, backend.warnings());
    return STREAMED;
  } finally {
    process.off('SIGINT', stop);
    await backend.close();
  }
}
