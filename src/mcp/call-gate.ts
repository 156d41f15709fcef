/**
 * Every tool error carries a stable code. Our handlers see to that for their
 * own failures; this gate covers what McpServer answers before they run: a
 * call that does not match the input schema, or an unknown tool, becomes
 * `USAGE`, and under `--read-only` a control tool (left out of `tools/list`)
 * becomes `READ_ONLY` rather than "not found". McpServer installs its own
 * `tools/call` handler and has no hook before it, so we wrap the installed
 * one (a private field of the pinned SDK; test/mcp/mcp-safety.test.ts fails
 * if this stops working).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { RunledgerError } from '../errors.js';
import { ERROR_META, toolError } from './result.js';

type RawHandler = (request: unknown, extra: unknown) => Promise<unknown>;

export function gateToolCalls(server: McpServer, refused: readonly string[], log: (line: string) => void): void {
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, RawHandler> })._requestHandlers;
  const original = handlers?.get('tools/call');
  if (!original) return void log('runledger mcp: cannot gate tools/call (SDK changed?); its own errors will carry no code');
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const name = request.params.name;
    if (refused.includes(name))
      return toolError(
        new RunledgerError('READ_ONLY', `this server was started with --read-only: ${name} is not available`, { tool: name }),
        log,
      );
    const result = (await original(request, extra)) as CallToolResult;
    if (!result.isError || result._meta?.[ERROR_META]) return result;
    const message = result.content.map((c) => (c.type === 'text' ? c.text : '')).join(' ');
    return toolError(new RunledgerError('USAGE', message, { tool: name }), log);
  });
}
