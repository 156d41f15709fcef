/**
 * Resource requests (`resources/list`, `resources/read`, `resources/subscribe`) cannot answer
 * with a tool error: a failure is a JSON-RPC error. So it carries the stable
 * code the way the SDK allows: `data` is the error object a tool error puts
 * in `_meta` (`{ code, message, details? }`), and the message starts
 * `error [CODE]:` like a tool error's text. The JSON-RPC code only sorts it:
 * the request named something wrong (InvalidParams), or it failed otherwise.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { errorObject } from './result.js';

/** Codes that mean the request itself was wrong, not the server or the daemon. */
const INVALID_PARAMS = new Set(['USAGE', 'BAD_REQUEST', 'RUN_NOT_FOUND', 'AMBIGUOUS_ID']);

export function requestError(err: unknown, log: (line: string) => void): McpError {
  const data = errorObject(err, log);
  const error = new McpError(INVALID_PARAMS.has(data.code) ? ErrorCode.InvalidParams : ErrorCode.InternalError, '', data);
  // The SDK sends `message` as is; McpError's own prefixes "MCP error <n>:", which the client adds again.
  error.message = `error [${data.code}]: ${data.message}`;
  return error;
}

/** Run a request handler; whatever it throws becomes a coded request error. */
export async function guardedRequest<T>(log: (line: string) => void, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw requestError(err, log);
  }
}
