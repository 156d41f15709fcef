/**
 * Drive `node bin/runledger.cjs mcp --home TMP` with the SDK's own Client over
 * its stdio transport. The server's stderr is kept (diagnostics go there);
 * Home.cleanup stops the daemon and kills every run's process group by pid.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BIN, Home, ROOT } from '../cli/helpers.js';

export { FIXTURES, Home, isAlive, waitUntil } from '../cli/helpers.js';

export interface Connected {
  client: Client;
  transport: StdioClientTransport;
  /** What the server wrote on stderr so far. */
  stderr(): string;
  /** The server process's pid. */
  pid: number;
  /** Every notification the server sent so far, as received (before the SDK's handlers see it). */
  notifications: { method: string; params?: any }[];
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult & { structuredContent?: any }>;
  close(): Promise<void>;
}

export async function connectMcp(home: Home, flags: string[] = [], clientName = 'test-agent'): Promise<Connected> {
  const env = Object.fromEntries(Object.entries(process.env).filter((kv): kv is [string, string] => kv[1] !== undefined));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', '--home', home.dir, ...flags],
    env: { ...env, NO_COLOR: '1' },
    cwd: ROOT,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const client = new Client({ name: clientName, version: '9.9.9' });
  await client.connect(transport);
  const notifications: Connected['notifications'] = [];
  // Client.connect installed its onmessage: wrap it, so the test sees even what no handler expects.
  const deliver = transport.onmessage!;
  transport.onmessage = (message) => {
    if ('method' in message && !('id' in message)) notifications.push(message as Connected['notifications'][number]);
    deliver(message);
  };
  return {
    client,
    transport,
    stderr: () => err,
    pid: transport.pid!,
    notifications,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent?: any },
    close: () => client.close(),
  };
}

/** The stable code of a tool error: from the text (`error [CODE]: …`), checked against `_meta`. */
export function errorCode(result: CallToolResult): string | undefined {
  if (!result.isError) return undefined;
  const text = (result.content[0] as { text: string }).text;
  const fromText = /^error \[([A-Z_]+)\]/.exec(text)?.[1];
  const fromMeta = (result._meta?.['runledger/error'] as { code?: string } | undefined)?.code;
  if (fromText !== fromMeta) throw new Error(`code in text (${fromText}) and _meta (${fromMeta}) differ: ${text}`);
  return fromText;
}

export const textOf = (result: CallToolResult): string => (result.content[0] as { text: string }).text;

/**
 * The stable code of a failed request (resources/read, resources/subscribe): the SDK's McpError,
 * whose message (after the SDK's "MCP error <n>: ") starts `error [CODE]:`, checked against `data.code`.
 */
export async function requestErrorCode(request: Promise<unknown>): Promise<{ code: string; jsonRpcCode: number; data: any }> {
  const err = await request.then(
    () => {
      throw new Error('the request succeeded');
    },
    (e: unknown) => e,
  );
  if (!(err instanceof McpError)) throw err;
  const fromText = /^MCP error -?\d+: error \[([A-Z_]+)\]: /.exec(err.message)?.[1];
  const data = err.data as { code?: string } | undefined;
  if (!fromText || fromText !== data?.code)
    throw new Error(`code in message (${fromText}) and data (${data?.code}) differ: ${err.message}`);
  return { code: fromText, jsonRpcCode: err.code, data };
}
