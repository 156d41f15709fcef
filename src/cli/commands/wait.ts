/**
 * `runledger wait ID… [--for ready|exit|healthy] [--timeout D]`: blocks until
 * every run reached the condition. Exit 0 when reached; with `--for exit`
 * the first non-zero exit code among the runs in the order given; 124 on
 * timeout (WAIT_TIMEOUT); 1 when a run ended without becoming ready
 * (NEVER_READY); 125 when the daemon went away. Ctrl-C stops the waiting,
 * never the runs (130).
 */
import type { WaitCondition } from '../../projections/wait-condition.js';
import { parseDuration } from '../../supervisor/durations.js';
import { openBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT_INTERRUPTED, usageError } from '../failure.js';
import { renderRunLines } from '../render/reports.js';
import { firstFailureCode, waitForRuns } from '../wait.js';

export interface WaitFlags {
  for?: WaitCondition;
  /** As typed; checked at the door. */
  timeout?: string;
}

export async function waitCommand(ctx: CliContext, ids: string[], flags: WaitFlags): Promise<CommandResult> {
  if (ids.length === 0) throw usageError('wait needs at least one run id: runledger wait ID… [--for ready|exit|healthy]');
  const condition = flags.for ?? 'exit';
  const timeoutMs = flags.timeout === undefined ? undefined : parseDuration(flags.timeout, '--timeout');
  const onInterrupt = (): void => {
    ctx.err.write('\nrunledger: stopped waiting; the runs go on\n');
    process.exit(EXIT_INTERRUPTED);
  };
  process.once('SIGINT', onInterrupt);
  // Only the daemon sees runs change: waiting starts one if none runs (it adopts what is still alive).
  const backend = await openBackend(ctx);
  try {
    // For people (and a handshake for tests): said once the daemon watches every run, on stderr so stdout stays the answer.
    const onWatching = () => {
      if (!ctx.json)
        ctx.err.write(`runledger: waiting for ${ids.length === 1 ? ids[0] : `${ids.length} runs`} (${condition}; Ctrl-C stops waiting)\n`);
    };
    const runs = await waitForRuns(backend, ids, condition, { onWatching, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    return {
      value: { for: condition, runs },
      human: (style) => renderRunLines(runs, style),
      ...(condition === 'exit' ? { exitCode: firstFailureCode(runs) } : {}),
    };
  } finally {
    process.off('SIGINT', onInterrupt);
    await backend.close();
  }
}
