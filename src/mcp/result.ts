/**
 * Tool answers: the object the CLI's `--json` prints as structuredContent,
 * and a short text for models that read only text. A failure is a tool error
 * (`isError`) whose text starts with the stable code, never a protocol error
 * or a crash; a bug keeps its stack on stderr only. The error object goes in
 * `_meta["runledger/error"]`, not structuredContent: the SDK's client checks
 * structuredContent against the tool's output schema even on errors.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { RunledgerError } from '../errors.js';

export const ERROR_META = 'runledger/error';

export function toolResult(value: Record<string, unknown>, text: string): CallToolResult {
  return { structuredContent: value, content: [{ type: 'text', text }] };
}

export interface ErrorObject {
  code: string;
  message: string;
  details?: Readonly<Record<string, unknown>>;
}

/** What a failure tells the client: `{ code, message, details? }` (a tool error's `_meta`, a request error's `data`). */
export function errorObject(err: unknown, log: (line: string) => void): ErrorObject {
  if (err instanceof RunledgerError)
    return { code: err.code, message: err.message, ...(Object.keys(err.details).length > 0 ? { details: err.details } : {}) };
  log(`runledger mcp: internal error (a bug, please report it)\n${(err as Error)?.stack ?? String(err)}`);
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

export function toolError(err: unknown, log: (line: string) => void): CallToolResult {
  const error = errorObject(err, log);
  return { isError: true, _meta: { [ERROR_META]: error }, content: [{ type: 'text', text: `error [${error.code}]: ${error.message}` }] };
}

/** Run a tool body; whatever it throws becomes a tool error. */
export async function guarded(log: (line: string) => void, body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (err) {
    return toolError(err, log);
  }
}
