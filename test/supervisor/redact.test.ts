/** The secret-name rule: whole words of a name, never a substring (issue 11, case 5). */
import { describe, expect, it } from 'vitest';
import { isSecretKey, isSecretValue, nameWords, redactEnv, REDACTED, splitInherited } from '../../src/supervisor/redact.js';

const SECRET = [
  'API_KEY',
  'APIKEY',
  'GITHUB_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'PASSWORD',
  'DB_PASSWORD',
  'DB_PASS',
  'LDAP_PASSWD',
  'NPM_AUTH',
  'AUTH_HEADER',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'DOCKER_CREDENTIAL',
  'SSH_PRIVATE_KEY',
  'SECRET_KEY_BASE',
  'CLIENT_SECRET',
  'GPG_PASSPHRASE',
  'SESSION_COOKIE',
  'apiKey',
  'githubToken',
  'OPENAI_API_KEY',
  'auth-token',
  'my.secret',
];

const ORDINARY = [
  'KEYBOARD_LAYOUT',
  'MONKEY_COUNT',
  'AUTHOR_NAME',
  'TOKENIZERS_PARALLELISM',
  'XAUTHORITY',
  'SSH_AUTH_SOCK',
  'PWD',
  'OLDPWD',
  'PATH',
  'HOME',
  'PASSENGER_APP_ENV',
  'KEYCHAIN',
  'SECRETARY',
  'COMPASS_HOME',
  'monkeyCount',
  'FOO',
];

describe('isSecretKey', () => {
  it.each(SECRET)('%s is secret', (name) => expect(isSecretKey(name)).toBe(true));
  it.each(ORDINARY)('%s is not secret', (name) => expect(isSecretKey(name)).toBe(false));
  it('a name the caller lists is secret whatever its words', () => {
    expect(isSecretKey('DATABASE_URL', ['DATABASE_URL'])).toBe(true);
    expect(isSecretKey('DATABASE_URL')).toBe(false);
  });
});

describe('nameWords', () => {
  it.each([
    ['AWS_SECRET_ACCESS_KEY', ['AWS', 'SECRET', 'ACCESS', 'KEY']],
    ['apiKey', ['API', 'KEY']],
    ['HTTPProxyAuth', ['HTTP', 'PROXY', 'AUTH']],
    ['a-b.c', ['A', 'B', 'C']],
    ['__X__', ['X']],
  ])('%s -> %j', (name, words) => expect(nameWords(name)).toEqual(words));
});

describe('isSecretValue', () => {
  it.each([
    ['postgres://app:hunter2@db:5432/app', true],
    ['https://:t0ken@example.com/x', true],
    ['redis://default:pw@localhost', true],
    ['https://example.com/a:b@c', false],
    ['postgres://app@db/app', false],
    ['mailto:someone@example.com', false],
    ['/usr/bin:/bin', false],
    ['user:pass@host', false],
  ])('%s -> %s', (value, secret) => expect(isSecretValue(value)).toBe(secret));
});

describe('redactEnv', () => {
  it('redacts a URL with a password whatever its name', () => {
    expect(redactEnv({ DATABASE_URL: 'postgres://app:pw@db/app' })).toEqual({
      env: { DATABASE_URL: REDACTED },
      redacted: ['DATABASE_URL'],
    });
  });

  it('replaces secret values and lists their names, sorted', () => {
    expect(redactEnv({ B_TOKEN: 't', A_KEY: 'k', KEYBOARD_LAYOUT: 'us' })).toEqual({
      env: { B_TOKEN: REDACTED, A_KEY: REDACTED, KEYBOARD_LAYOUT: 'us' },
      redacted: ['A_KEY', 'B_TOKEN'],
    });
  });
});

describe('splitInherited', () => {
  it('keeps ordinary values and only the names of secret ones', () => {
    expect(splitInherited({ PATH: '/bin', GITHUB_TOKEN: 't', EXTRA: 'x', GONE: undefined }, ['EXTRA'])).toEqual({
      kept: { PATH: '/bin' },
      withheld: ['EXTRA', 'GITHUB_TOKEN'],
    });
  });
});
