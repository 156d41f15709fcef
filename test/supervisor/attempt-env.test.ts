/** Which environment an attempt gets, from what its spawner knows. */
import { describe, expect, it } from 'vitest';
import { assembleAttemptEnv, captureGiven } from '../../src/supervisor/attempt-env.js';
import { REDACTED } from '../../src/supervisor/redact.js';

const spec = { env: { MODE: 'prod', API_KEY: REDACTED }, redactedEnv: ['API_KEY'] };
const given = captureGiven({ MODE: 'prod', API_KEY: 'k1' }, { PATH: '/bin', FOO: 'from-caller', GITHUB_TOKEN: 't', MODE: 'dev' }, [
  'API_KEY',
]);

describe('captureGiven', () => {
  it('keeps ordinary inherited values and the names of secret ones', () => {
    expect(given.captured).toEqual({ inherited: { PATH: '/bin', FOO: 'from-caller', MODE: 'dev' }, withheld: ['GITHUB_TOKEN'] });
  });
});

describe('assembleAttemptEnv', () => {
  it('the supervisor that started the run: everything it was given; --env over the file over the inherited', () => {
    expect(assembleAttemptEnv({ spec, given, fileEnv: { MODE: 'file', EXTRA: 'x' } })).toEqual({
      ok: true,
      baseEnv: { PATH: '/bin', FOO: 'from-caller', GITHUB_TOKEN: 't', MODE: 'dev' },
      env: { MODE: 'prod', API_KEY: 'k1', EXTRA: 'x' },
    });
  });

  it('another supervisor: the captured inherited values and the recorded --env', () => {
    const plain = { env: { MODE: 'prod' }, redactedEnv: [] };
    expect(assembleAttemptEnv({ spec: plain, captured: { inherited: { FOO: 'from-caller' }, withheld: [] } })).toEqual({
      ok: true,
      baseEnv: { FOO: 'from-caller' },
      env: { MODE: 'prod' },
    });
  });

  it('another supervisor: a secret --env value and an inherited secret are missing, never placeholders', () => {
    expect(assembleAttemptEnv({ spec, captured: given.captured })).toEqual({ ok: false, missing: ['API_KEY', 'GITHUB_TOKEN'] });
  });

  it('another supervisor: the env file supplies inherited secrets, but not a secret --env value it overrode', () => {
    expect(assembleAttemptEnv({ spec, captured: given.captured, fileEnv: { GITHUB_TOKEN: 't2', API_KEY: 'k2' } })).toEqual({
      ok: false,
      missing: ['API_KEY'],
    });
    const plain = { env: {}, redactedEnv: [] };
    expect(assembleAttemptEnv({ spec: plain, captured: given.captured, fileEnv: { GITHUB_TOKEN: 't2' } })).toEqual({
      ok: true,
      baseEnv: given.captured.inherited,
      env: { GITHUB_TOKEN: 't2' },
    });
  });

  it('a run recorded before capture existed: no base env (the supervisor process), secrets missing as before', () => {
    expect(assembleAttemptEnv({ spec: { env: { A: '1' }, redactedEnv: [] } })).toEqual({ ok: true, env: { A: '1' } });
    expect(assembleAttemptEnv({ spec })).toEqual({ ok: false, missing: ['API_KEY'] });
  });
});
