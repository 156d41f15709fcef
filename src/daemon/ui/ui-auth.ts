/**
 * Who may talk to the UI listener (pure). The listener is on 127.0.0.1, but
 * any local process and any web page the user opens can reach that, so:
 * - the Host header must name this listener (127.0.0.1 or localhost with its
 *   port): a DNS-rebinding page reaches us under its own host name;
 * - an Origin header, when sent, must be this listener's own origin, and a
 *   browser's `Sec-Fetch-Site: cross-site` is refused: no other page may
 *   drive the API with the user's cookie (SameSite=Strict backs this up);
 * - the token (random, in memory for the daemon's life) must come with the
 *   request: `?token=` (the URL `runledger ui` prints, first load only), the
 *   HttpOnly cookie set on that load, or `Authorization: Bearer` (/metrics).
 * Tokens are compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto';

export interface UiRequestFacts {
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  cookie: string | undefined;
  authorization: string | undefined;
  queryToken: string | null;
}

export interface UiListenerIdentity {
  port: number;
  token: string;
}

export type UiAuthResult =
  | { ok: true; via: 'query' | 'cookie' | 'bearer' }
  | { ok: false; status: 401 | 403; code: 'UI_FORBIDDEN' | 'UI_UNAUTHORIZED'; message: string };

/** The cookie's name carries the port: cookies are per host, not per port, and two homes' listeners must not clobber each other's. */
export function uiCookieName(port: number): string {
  return `runledger_ui_${port}`;
}

/** The origins a page served by this listener has. */
export function uiOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export function checkUiRequest(req: UiRequestFacts, self: UiListenerIdentity): UiAuthResult {
  const hosts = uiOrigins(self.port).map((o) => o.slice('http://'.length));
  if (req.host === undefined || !hosts.includes(req.host.toLowerCase()))
    return forbidden(`Host ${JSON.stringify(req.host ?? '')} is not this listener (${hosts.join(' or ')})`);
  if (req.origin !== undefined && !uiOrigins(self.port).includes(req.origin.toLowerCase()))
    return forbidden(`Origin ${JSON.stringify(req.origin)} is not this listener's`);
  if (req.secFetchSite === 'cross-site') return forbidden('cross-site requests are refused');
  if (req.queryToken !== null && sameToken(req.queryToken, self.token)) return { ok: true, via: 'query' };
  const fromCookie = cookieValue(req.cookie, uiCookieName(self.port));
  if (fromCookie !== undefined && sameToken(fromCookie, self.token)) return { ok: true, via: 'cookie' };
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? '')?.[1];
  if (bearer !== undefined && sameToken(bearer, self.token)) return { ok: true, via: 'bearer' };
  return {
    ok: false,
    status: 401,
    code: 'UI_UNAUTHORIZED',
    message: 'this listener needs its token: open the URL `runledger ui` prints (or send Authorization: Bearer TOKEN)',
  };
}

/** One cookie's value from a Cookie header, undefined when absent. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function forbidden(message: string): UiAuthResult {
  return { ok: false, status: 403, code: 'UI_FORBIDDEN', message };
}
