/** `runledger mcp`: the MCP server for agents (the SDK loads only when this command runs). */
import type { Command } from 'commander';
import { duration } from '../parse.js';
import type { Define } from './define.js';

export function registerMcpCommands(define: Define, _program: Command): void {
  define(
    'mcp',
    'serve runledger to AI agents: an MCP server over stdio (stdout is the protocol, diagnostics on stderr)',
    async (ctx, _a, o) => (await import('../commands/mcp.js')).mcpCommand(ctx, o),
  )
    .option('--session <id>', "owner session of the runs started here (default: the client's name + a new id)")
    .option('--on-disconnect <policy>', "stop: stop this session's runs when the client disconnects; keep: leave them running", 'keep')
    .option(
      '--allow-cwd <dir>',
      'runs may start only in this directory or below (repeatable; real paths compared)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option('--no-shell', 'refuse shell commands (the shell option, or a shell as the command)')
    .option('--read-only', 'expose only the query tools (ps, show, logs, wait, events)')
    .option(
      '--progress-every <duration>',
      'while a tool waits, send progress this often to a client that asked for it (default 2s)',
      duration('--progress-every'),
    );
}
