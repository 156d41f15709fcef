import { expect, it } from 'vitest';
import { DEFAULT_WAIT_MS, MAX_WAIT_MS, waitBound } from '../../src/mcp/wait-bound.js';

it('defaults to 30 s and keeps a timeout within the cap as asked', () => {
  expect(waitBound(undefined)).toEqual({ timeoutMs: DEFAULT_WAIT_MS });
  expect(waitBound(MAX_WAIT_MS)).toEqual({ timeoutMs: MAX_WAIT_MS });
  expect(waitBound(300)).toEqual({ timeoutMs: 300 });
});

it('says so when it cuts a timeout to the cap', () => {
  expect(waitBound(3_600_000)).toEqual({
    timeoutMs: MAX_WAIT_MS,
    capped: {
      requestedMs: 3_600_000,
      appliedMs: MAX_WAIT_MS,
      note: "timeout 3600 s cut to the server's cap of 600 s; call wait again to wait longer",
    },
  });
});
