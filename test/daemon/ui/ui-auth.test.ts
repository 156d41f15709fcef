import { describe, expect, it } from 'vitest';
import { checkUiRequest, cookieValue, uiCookieName, type UiRequestFacts } from '../../../src/daemon/ui/ui-auth.js';

const self = { port: 4242, token: 'secret-token-of-43-characters-xxxxxxxxxxxxx' };
const base: UiRequestFacts = {
  host: '127.0.0.1:4242',
  origin: undefined,
  secFetchSite: undefined,
  cookie: undefined,
  authorization: undefined,
  queryToken: null,
};
const withCookie = { ...base, cookie: `other=1; ${uiCookieName(4242)}=${self.token}` };

describe('checkUiRequest', () => {
  it('accepts the token from the query, the cookie or a bearer header, and says which', () => {
    expect(checkUiRequest({ ...base, queryToken: self.token }, self)).toEqual({ ok: true, via: 'query' });
    expect(checkUiRequest(withCookie, self)).toEqual({ ok: true, via: 'cookie' });
    expect(checkUiRequest({ ...base, authorization: `Bearer ${self.token}` }, self)).toEqual({ ok: true, via: 'bearer' });
    expect(checkUiRequest({ ...withCookie, host: 'localhost:4242' }, self).ok).toBe(true);
  });

  it('refuses a missing or wrong token with 401', () => {
    for (const facts of [
      base,
      { ...base, queryToken: 'nope' },
      { ...base, cookie: `${uiCookieName(4242)}=nope` },
      { ...base, cookie: `${uiCookieName(9999)}=${self.token}` },
      { ...base, authorization: 'Bearer nope' },
      { ...base, authorization: `Basic ${self.token}` },
    ]) {
      expect(checkUiRequest(facts, self)).toMatchObject({ ok: false, status: 401, code: 'UI_UNAUTHORIZED' });
    }
  });

  it('refuses another Host (DNS rebinding), another Origin and cross-site fetches with 403, token or not', () => {
    for (const facts of [
      { ...withCookie, host: 'evil.example:4242' },
      { ...withCookie, host: '127.0.0.1:4243' },
      { ...withCookie, host: undefined },
      { ...withCookie, origin: 'http://evil.example' },
      { ...withCookie, origin: 'http://127.0.0.1:4243' },
      { ...withCookie, origin: 'null' },
      { ...withCookie, secFetchSite: 'cross-site' },
    ]) {
      expect(checkUiRequest(facts, self)).toMatchObject({ ok: false, status: 403, code: 'UI_FORBIDDEN' });
    }
    expect(checkUiRequest({ ...withCookie, origin: 'http://localhost:4242', secFetchSite: 'same-origin' }, self).ok).toBe(true);
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(cookieValue('a=1; b=2 ;c = 3', 'b')).toBe('2');
    expect(cookieValue('a=1; b=2', 'c')).toBeUndefined();
    expect(cookieValue(undefined, 'a')).toBeUndefined();
  });
});
