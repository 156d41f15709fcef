/** `runledger wait`: block until runs are ready, healthy or ended (see commands/wait.ts for the exit codes). */
import type { Command } from 'commander';
import type { WaitCondition } from '../../projections/wait-condition.js';
import { duration, oneOf } from '../parse.js';
import type { Define } from './define.js';

/** projections' WAIT_CONDITIONS, typed against it but not imported: every command's start-up would load that module. */
const CONDITIONS = ['ready', 'exit', 'healthy'] as const satisfies readonly WaitCondition[];

export function registerWaitCommands(define: Define, _program: Command): void {
  define(
    'wait [ids...]',
    'wait until runs are ready, healthy or ended; exit 0, the exit code (--for exit), 124 on timeout',
    async (ctx, ids, o) => (await import('../commands/wait.js')).waitCommand(ctx, ids, o),
  )
    .option(
      '--for <condition>',
      'ready (passed its ready check; spawned if it has none), healthy (its health check; ready if none) or exit (default)',
      oneOf('--for', CONDITIONS),
    )
    .option('--timeout <duration>', 'give up after this long: exit 124, the runs go on (30 = 30s, 500ms, 2m)', duration('--timeout'));
}
