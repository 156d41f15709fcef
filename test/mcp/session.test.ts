/** The owner session: --session wins; else the client's name + a new id, fixed at first use; labels name the client. */
import { expect, it } from 'vitest';
import { createSession } from '../../src/mcp/session.js';

it('uses --session as given', () => {
  expect(createSession('agent-7', () => ({ name: 'x', version: '1' })).id()).toBe('agent-7');
});

it("generates one id from the client's name, made safe, and keeps it", () => {
  const s = createSession(undefined, () => ({ name: 'Claude Desktop/2', version: '1.2' }));
  expect(s.id()).toMatch(/^Claude-Desktop-2-[0-9a-z]{26}$/);
  expect(s.id()).toBe(s.id());
  expect(s.labels()).toEqual({ 'runledger.mcp.client': 'Claude Desktop/2', 'runledger.mcp.client-version': '1.2' });
});

it('without client info: an "mcp-" id and no labels', () => {
  const s = createSession(undefined, () => undefined);
  expect(s.id()).toMatch(/^mcp-[0-9a-z]{26}$/);
  expect(s.labels()).toEqual({});
});
