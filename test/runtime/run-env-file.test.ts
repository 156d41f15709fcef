/** The captured environment on disk: private, whole, and never quietly replaced by another one. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunEnvFiles } from '../../src/runtime/run-env-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const stateDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'rl-envfile-'));
  dirs.push(d);
  return d;
};

describe('createRunEnvFiles', () => {
  it('saves runs/<id>/env.json 0600 in a 0700 run dir and loads it back', async () => {
    const dir = stateDir();
    const store = createRunEnvFiles(dir);
    const env = { inherited: { FOO: 'from-caller', PATH: '/bin' }, withheld: ['GITHUB_TOKEN'] };
    await store.save('01RUN', env);
    expect(statSync(join(dir, 'runs', '01RUN', 'env.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'runs', '01RUN')).mode & 0o777).toBe(0o700);
    expect(await store.load('01RUN')).toEqual(env);
    await store.save('01RUN', { inherited: {}, withheld: [] });
    expect(await store.load('01RUN')).toEqual({ inherited: {}, withheld: [] });
    expect(JSON.parse(readFileSync(join(dir, 'runs', '01RUN', 'env.json'), 'utf8')).version).toBe(1);
  });

  it('nothing kept is undefined; a damaged file is SPAWN_FAILED, not the daemon environment', async () => {
    const dir = stateDir();
    const store = createRunEnvFiles(dir);
    expect(await store.load('01NONE')).toBeUndefined();
    await store.save('01BAD', { inherited: {}, withheld: [] });
    writeFileSync(join(dir, 'runs', '01BAD', 'env.json'), '{"inherited":{"A":1}');
    await expect(store.load('01BAD')).rejects.toMatchObject({ code: 'SPAWN_FAILED' });
    writeFileSync(join(dir, 'runs', '01BAD', 'env.json'), '{"inherited":{"A":1},"withheld":[]}');
    await expect(store.load('01BAD')).rejects.toMatchObject({ code: 'SPAWN_FAILED' });
  });

  it('builds paths only from our ids', async () => {
    const store = createRunEnvFiles(stateDir());
    await expect(store.save('../etc', { inherited: {}, withheld: [] })).rejects.toThrow(TypeError);
  });
});
