/**
 * A database URL's password must never reach a log line, an error message or
 * the ledger: every message the fleet code builds from a URL or from a driver
 * error goes through here.
 */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@\s]*@/gi;

/** `postgres://u:secret@h/db` → `postgres://u:***@h/db`; text without a URL is unchanged. */
export function redactUrl(text: string): string {
  return text.replace(URL_PASSWORD, '$1***@');
}

/** The password as given (decoded), so a driver message that echoes it bare can be scrubbed too. */
export function urlPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

export function redactSecret(text: string, url: string): string {
  const password = urlPassword(url);
  const redacted = redactUrl(text);
  return password && password.length >= 3 ? redacted.split(password).join('***') : redacted;
}
