import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { RunledgerError } from '../../src/errors.js';
import { guardedRequest, requestError } from '../../src/mcp/request-error.js';

const quiet = () => undefined;

describe('requestError', () => {
  it('puts the code in data and at the head of the message, as a tool error does', () => {
    const err = requestError(new RunledgerError('RUN_NOT_FOUND', 'no run matches x', { id: 'x' }), quiet);
    expect(err).toBeInstanceOf(McpError);
    expect(err.code).toBe(ErrorCode.InvalidParams);
    expect(err.message).toBe('error [RUN_NOT_FOUND]: no run matches x');
    expect(err.data).toEqual({ code: 'RUN_NOT_FOUND', message: 'no run matches x', details: { id: 'x' } });
  });

  it('sorts a failure that is not the request’s fault as InternalError, and a bug as INTERNAL (logged)', () => {
    expect(requestError(new RunledgerError('DAEMON_UNAVAILABLE', 'down'), quiet).code).toBe(ErrorCode.InternalError);
    const logged: string[] = [];
    const bug = requestError(new TypeError('oops'), (l) => logged.push(l));
    expect(bug).toMatchObject({ code: ErrorCode.InternalError, message: 'error [INTERNAL]: oops', data: { code: 'INTERNAL' } });
    expect(logged[0]).toMatch(/internal error/);
  });

  it('guardedRequest passes an answer through and turns a throw into a request error', async () => {
    await expect(guardedRequest(quiet, async () => 42)).resolves.toBe(42);
    await expect(
      guardedRequest(quiet, async () => {
        throw new RunledgerError('USAGE', 'bad');
      }),
    ).rejects.toMatchObject({ message: 'error [USAGE]: bad', data: { code: 'USAGE' } });
  });
});
