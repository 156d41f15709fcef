/**
 * `--read-only` leaves the control tools out of `tools/list`; a client that
 * calls one anyway gets a tool error with the stable code READ_ONLY instead
 * of the SDK's "tool not found". McpServer installs its own `tools/call`
 * handler and exposes no hook before it, so we wrap the installed handler
 * (the SDK is pinned; test/mcp/mcp-safety.test.ts fails if this stops working).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { RunledgerError } from '../errors.js';
import { toolError } from './result.js';

type RawHandler = (request: unknown, extra: unknown) => Promise<unknown>;

export function refuseTools(server: McpServer, names: readonly string[], log: (line: string) => void): void {
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, RawHandler> })._requestHandlers;
  const original = handlers?.get('tools/call');
  if (!original) return void log('runledger mcp: cannot gate tools/call (SDK changed?); refused tools answer "not found"');
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    if (names.includes(request.params.name)) {
      const err = new RunledgerError('READ_ONLY', `this server was started with --read-only: ${request.params.name} is not available`, {
        tool: request.params.name,
      });
      return toolError(err, log);
    }
    return (await original(request, extra)) as CallToolResult;
  });
}
