/** A `logs -f` follower's place in a run's output, advanced by each numbered line it printed (see follow-daemon.ts). */
import type { LogCursor, LogLine } from '../daemon/api.js';

/** The cursor after printing `line`; lines without numbers (not from a daemon follow) leave it as it is. */
export function advanceLogCursor(cursor: LogCursor | undefined, line: LogLine): LogCursor | undefined {
  if (line.attempt === undefined || line.seq === undefined) return cursor;
  const base = cursor && cursor.attempt === line.attempt ? cursor : { attempt: line.attempt, stdout: 0, stderr: 0 };
  return { ...base, [line.stream]: line.seq };
}

/** The line as people and --json see it: its number is bookkeeping between us and the daemon. */
export function withoutSeq(line: LogLine): LogLine {
  const { seq: _seq, ...shown } = line;
  return shown;
}
