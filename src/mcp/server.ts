/**
 * `runledger mcp`: an MCP server over stdio. Stdout carries the protocol
 * only; every diagnostic goes to stderr. It ends when the client closes
 * stdin (or sends SIGTERM/SIGINT), after applying `--on-disconnect`.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpContext } from './context.js';
import { gateToolCalls } from './call-gate.js';
import { createDaemonApi } from './daemon-api.js';
import { applyDisconnectPolicy } from './disconnect.js';
import type { McpOptions } from './options.js';
import { registerLogResources } from './resources.js';
import { createSession } from './session.js';
import { CONTROL_TOOLS, registerControlTools } from './tools-control.js';
import { registerQueryTools } from './tools-query.js';

/** If something still holds the event loop after shutdown, leave anyway: the client waits on our exit. */
const EXIT_GRACE_MS = 2000;

export async function serveMcp(options: McpOptions, version: string): Promise<void> {
  const server = new McpServer({ name: 'runledger', version }, { instructions: INSTRUCTIONS });
  const log = (line: string) => void process.stderr.write(`${line}\n`);
  const session = createSession(options.session, () => server.server.getClientVersion());
  const ctx: McpContext = { api: createDaemonApi(options.home), session, options, log };

  registerQueryTools(server, ctx);
  if (!options.readOnly) registerControlTools(server, ctx);
  gateToolCalls(server, options.readOnly ? CONTROL_TOOLS : [], log);
  const resources = registerLogResources(server, ctx);
  server.server.oninitialized = () => {
    const client = server.server.getClientVersion();
    log(`runledger mcp: ${client?.name ?? 'a client'} connected; session ${session.id()}, home ${options.home}`);
  };

  const transport = new StdioServerTransport();
  let resolveDone: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let closing = false;
  const shutdown = async (why: string) => {
    if (closing) return;
    closing = true;
    try {
      await applyDisconnectPolicy(ctx, why);
    } catch (err) {
      log(`runledger mcp: on-disconnect ${options.onDisconnect} failed: ${(err as Error).message}`);
    }
    // Armed only now, so it never cuts the policy short.
    setTimeout(() => process.exit(process.exitCode ?? 0), EXIT_GRACE_MS).unref();
    resources.close();
    await server.close().catch(() => undefined);
    resolveDone();
  };
  // The SDK's stdio transport does not watch for the end of stdin; a client that goes away closes it.
  process.stdin.once('end', () => void shutdown('stdin closed'));
  process.stdin.once('close', () => void shutdown('stdin closed'));
  const onSignal = (signal: NodeJS.Signals) => void shutdown(signal);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  await server.connect(transport);
  log(`runledger mcp: serving on stdio${options.readOnly ? ' (read-only)' : ''}; on disconnect: ${options.onDisconnect}`);
  await done;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
}

const INSTRUCTIONS =
  'runledger supervises processes and records everything that happens to them in a ledger. Use `run` (with ' +
  '`ready` and `waitReady` for servers) instead of starting background processes from a shell; read output with ' +
  "`logs`, wait with `wait`, end runs with `stop` or all of this session's runs with `interrupt`.";
