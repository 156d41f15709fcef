/**
 * Which env values are secret, decided by name: secret values never reach
 * the ledger (recorded as a placeholder) nor the disk (the captured
 * environment keeps only their names).
 *
 * The rule, by whole words: a name is split into words at `_`, `-`, `.` and
 * camelCase humps, case ignored; it is secret when one of its words is in
 * SECRET_WORDS, or when the caller names it (`secretEnvKeys`). So `API_KEY`,
 * `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `DB_PASSWORD`, `apiKey` are
 * secret, while `KEYBOARD_LAYOUT`, `MONKEY_COUNT`, `AUTHOR_NAME` and
 * `TOKENIZERS_PARALLELISM` are not: a substring match made every one of them
 * "secret", and a run that inherits them could not be restarted by another
 * daemon. `SSH_AUTH_SOCK` names a socket path, not a secret.
 *
 * One rule looks at values: a URL carrying a password (`scheme://user:pw@host`,
 * as in `DATABASE_URL`) is secret whatever its name.
 */
export const REDACTED = '[REDACTED]';

/** Whole words that make a name secret (README, "Secrets"). `PWD` is not one: it is the shell's cwd. */
export const SECRET_WORDS: ReadonlySet<string> = new Set([
  'KEY',
  'KEYS',
  'APIKEY',
  'TOKEN',
  'TOKENS',
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASS',
  'PASSPHRASE',
  'AUTH',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'PRIVATE',
  'COOKIE',
]);

/** Names whose words look secret but whose values are not. */
const NOT_SECRET: ReadonlySet<string> = new Set(['SSH_AUTH_SOCK']);

/** The words of an env name, upper-cased: `AWS_SECRET_ACCESS_KEY` and `awsSecretAccessKey` give the same. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .split(/[_.\-\s]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toUpperCase());
}

const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

/** A value that carries its own credentials, whatever the variable is called. */
export function isSecretValue(value: string): boolean {
  return URL_WITH_PASSWORD.test(value);
}

export function isSecretKey(key: string, extra: readonly string[] = []): boolean {
  if (extra.includes(key)) return true;
  if (NOT_SECRET.has(key)) return false;
  return nameWords(key).some((w) => SECRET_WORDS.has(w));
}

export function redactEnv(
  env: Readonly<Record<string, string>>,
  extra: readonly string[] = [],
): { env: Record<string, string>; redacted: string[] } {
  const out: Record<string, string> = {};
  const redacted: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (isSecretKey(k, extra) || isSecretValue(v)) {
      out[k] = REDACTED;
      redacted.push(k);
    } else out[k] = v;
  }
  return { env: out, redacted: redacted.sort() };
}

/** The inherited environment as it may be kept on disk: ordinary values, and only the names of secret ones. */
export function splitInherited(
  env: Readonly<Record<string, string | undefined>>,
  extra: readonly string[] = [],
): { kept: Record<string, string>; withheld: string[] } {
  const kept: Record<string, string> = {};
  const withheld: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (isSecretKey(k, extra) || isSecretValue(v)) withheld.push(k);
    else kept[k] = v;
  }
  return { kept, withheld: withheld.sort() };
}
