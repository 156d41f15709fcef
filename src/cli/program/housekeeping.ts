/** Housekeeping: prune the log files of runs that ended long ago. */
import type { Command } from 'commander';
import { duration } from '../parse.js';
import type { Define } from './define.js';

export function registerHousekeepingCommands(define: Define, _program: Command): void {
  define('prune', 'delete the log files of runs that ended more than --older-than ago (recorded as LogsPruned)', async (ctx, _a, o) =>
    (await import('../commands/prune.js')).pruneCommand(ctx, { olderThan: o.olderThan as string, dryRun: o.dryRun === true }),
  )
    .requiredOption('--older-than <duration>', 'only runs that ended at least this long ago (30d, 12h, 90m)', duration('--older-than'))
    .option('--dry-run', 'say what would be deleted, delete nothing');
}
