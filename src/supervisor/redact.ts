/**
 * Secret env values never reach the ledger: keys that look secret, or that
 * the caller names, are recorded with a placeholder. The real values live
 * only in the supervisor's memory for spawning (and restarts) of that run.
 */
export const REDACTED = '[REDACTED]';
const SECRET_KEY = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH/i;

export function isSecretKey(key: string, extra: readonly string[] = []): boolean {
  return SECRET_KEY.test(key) || extra.includes(key);
}

export function redactEnv(env: Readonly<Record<string, string>>, extra: readonly string[] = []): { env: Record<string, string>; redacted: string[] } {
  const out: Record<string, string> = {};
  const redacted: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (isSecretKey(k, extra)) {
      out[k] = REDACTED;
      redacted.push(k);
    } else out[k] = v;
  }
  return { env: out, redacted: redacted.sort() };
}
