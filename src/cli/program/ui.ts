/** `runledger ui`: the daemon's web page (timeline, logs, actions) and /metrics. */
import type { Command } from 'commander';
import { integer } from '../parse.js';
import type { Define } from './define.js';

export function registerUiCommands(define: Define, _program: Command): void {
  define('ui', "open the daemon's web page (starts the daemon and its 127.0.0.1 listener if needed); prints its URL", async (ctx, _a, o) =>
    (await import('../commands/ui.js')).uiCommand(ctx, {
      ...(o.port !== undefined ? { port: o.port as number } : {}),
      open: o.open !== false,
      ...(o.metricsRunIds === true ? { metricsRunIds: true } : {}),
    }),
  )
    .option('--port <n>', 'listen on this port (default: a free one)', integer('--port', 1, 65535))
    .option('--no-open', 'only print the URL, do not start a browser')
    .option('--metrics-run-ids', 'label per-run metrics with run ids too (one series per run)');
}
