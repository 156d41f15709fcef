/**
 * Each run's output as an MCP resource, `runledger://runs/<id>/logs` (the
 * latest attempt's last lines, bounded like the `logs` tool). A subscribed
 * client gets `notifications/resources/updated` while the run writes: the
 * daemon's log follower drives it, throttled, until the run ended. A client
 * that listed them hears `notifications/resources/list_changed` when runs
 * come and go (resource-list.ts).
 */
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ReadResourceRequestSchema, SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { RunledgerError } from '../errors.js';
import { coalesce } from './coalesce.js';
import type { McpContext } from './context.js';
import { readLogsPage } from './logs-tool.js';
import { guardedRequest } from './request-error.js';
import { watchResourceList } from './resource-list.js';

export const logsUri = (id: string): string => `runledger://runs/${id}/logs`;
const URI = /^runledger:\/\/runs\/([^/]+)\/logs$/;
/** At most one notification per run this often: an agent re-reads, it need not hear every line. */
const NOTIFY_EVERY_MS = 250;
const LISTED_RUNS = 50;
const RESOURCE_TAIL = 200;

/** The run id a log resource URI names; USAGE for anything else. */
function runIdOfUri(uri: string): string {
  const id = URI.exec(uri)?.[1];
  if (id) {
    try {
      return decodeURIComponent(id);
    } catch {
      // a malformed %-escape: not a run id either
    }
  }
  throw new RunledgerError('USAGE', `not a runledger log resource: ${uri} (expected ${logsUri('<id>')})`, { uri });
}

async function readLogResource(ctx: McpContext, uri: string) {
  const { text } = await readLogsPage(ctx, { id: runIdOfUri(uri), tail: RESOURCE_TAIL, maxBytes: 64 * 1024 });
  return { contents: [{ uri, mimeType: 'text/plain', text }] };
}

export function registerLogResources(server: McpServer, ctx: McpContext): { close(): void } {
  const listChanges = watchResourceList(server, ctx);
  server.registerResource(
    'run-logs',
    new ResourceTemplate('runledger://runs/{id}/logs', {
      // Coded like the other resource requests (request-error.ts): McpServer passes an McpError through.
      list: () =>
        guardedRequest(ctx.log, async () => {
          const { runs, position } = await ctx.api.list({ all: true, limit: LISTED_RUNS });
          listChanges.followFrom(position);
          return { resources: runs.map((r) => ({ uri: logsUri(r.id), name: `${r.shortId} ${r.name}`, mimeType: 'text/plain' })) };
        }),
    }),
    { description: "A run's output (latest attempt, last lines); subscribe for updates while it runs", mimeType: 'text/plain' },
    (uri) => readLogResource(ctx, uri.href),
  );
  // Replaces McpServer's resources/read handler (it has no hook for errors): ours are coded (request-error.ts),
  // a URI that is no URL or no log resource included. This template is the only resource, so nothing else is lost.
  server.server.setRequestHandler(ReadResourceRequestSchema, (req) => guardedRequest(ctx.log, () => readLogResource(ctx, req.params.uri)));

  const followers = new Map<string, AbortController>();
  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  server.server.setRequestHandler(SubscribeRequestSchema, (req) =>
    guardedRequest(ctx.log, async () => {
      const uri = req.params.uri;
      const { run } = await ctx.api.show(runIdOfUri(uri)); // RUN_NOT_FOUND before anything is followed
      if (followers.has(uri)) return {};
      // Counted before we answer, followed from the count: a line written right after the answer is not missed.
      const from = { stdout: await ctx.api.lineCount(run.id, 'stdout'), stderr: await ctx.api.lineCount(run.id, 'stderr') };
      follow(ctx, server, { uri, runId: run.id, from }, followers);
      return {};
    }),
  );
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (req) => {
    followers.get(req.params.uri)?.abort();
    followers.delete(req.params.uri);
    return {};
  });
  return {
    close() {
      listChanges.close();
      for (const f of followers.values()) f.abort();
      followers.clear();
    },
  };
}

interface Followed {
  uri: string;
  runId: string;
  from: { stdout: number; stderr: number };
}

function follow(ctx: McpContext, server: McpServer, f: Followed, followers: Map<string, AbortController>): void {
  const { uri, runId } = f;
  const abort = new AbortController();
  followers.set(uri, abort);
  const notify = () => {
    if (!abort.signal.aborted && server.isConnected()) server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  };
  const updates = coalesce(notify, NOTIFY_EVERY_MS);
  Promise.all(
    (['stdout', 'stderr'] as const).map((stream) =>
      ctx.api.followLogs(runId, { stream, from: f.from[stream] }, () => updates.poke(), abort.signal),
    ),
  )
    .catch((err: unknown) => ctx.log(`runledger mcp: following ${uri} stopped: ${(err as Error).message}`))
    .finally(() => {
      // The run ended (or the daemon went): one last update, so the reader sees the end.
      updates.cancel();
      notify();
      if (followers.get(uri) === abort) followers.delete(uri);
    });
}
