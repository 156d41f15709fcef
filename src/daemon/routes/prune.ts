/** POST /v1/prune { olderThan, dryRun? } — delete ended runs' log files; PruneReport. */
import { RunledgerError } from '../../errors.js';
import { parseDuration } from '../../supervisor/durations.js';
import type { DaemonContext } from '../context.js';
import { badRequest } from '../http/errors.js';
import { route, type Route } from '../http/router.js';
import { objectBody, optBoolean, optString } from '../http/shape.js';
import { pruneLogs } from '../prune.js';

export function pruneRoutes(ctx: DaemonContext): Route[] {
  return [
    route('POST', '/v1/prune', async ({ body }) => {
      const b = objectBody(await body(), ['olderThan', 'dryRun']);
      const olderThan = optString(b, 'olderThan');
      if (olderThan === undefined) throw badRequest('olderThan is required (a duration such as 30d)', { parameter: 'olderThan' });
      try {
        parseDuration(olderThan, 'olderThan');
      } catch (err) {
        throw err instanceof RunledgerError ? badRequest(err.message, { parameter: 'olderThan' }) : err;
      }
      const report = await pruneLogs(ctx, { olderThan, dryRun: optBoolean(b, 'dryRun') === true }, 'command');
      if (!report.dryRun) ctx.log.info('logs pruned', { runs: report.runs.length, bytes: report.bytes, position: report.position });
      return report;
    }),
  ];
}
