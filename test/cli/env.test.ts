/**
 * The same environment for every attempt (issue 11, case 5), through the
 * real binary as a user runs it (its shebang, not `node bin/...`), in
 * temporary homes: the caller's environment survives a daemon restart,
 * secrets come from an env file read at each spawn and never reach the
 * ledger or the disk, and `rerun --env` recovers a run whose secrets are gone.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isSecretKey, isSecretValue } from '../../src/supervisor/redact.js';
import { BIN, FIXTURES, Home, waitUntil, type CliResult } from './helpers.js';

// Real daemons restarted mid-run on a shared 2-core machine: generous, since every step waits for a handshake.
const SLOW = 180_000;
const homes: Home[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const newHome = () => {
  const h = new Home();
  homes.push(h);
  return h;
};
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), 'rl-env-'));
  dirs.push(d);
  return d;
};

/**
 * The test's own environment without secret-named variables (what the machine
 * has must not decide the outcome), plus `extra`; node on PATH for the shebang.
 */
function callerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !isSecretKey(k) && !isSecretValue(v)) env[k] = v;
  return { ...env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, NO_COLOR: '1', ...extra };
}

/** The binary itself, executed through its shebang, with exactly `env`. */
function bin(home: Home, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(BIN, ['--home', home.dir, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      if (code === -1) reject(Object.assign(err!, { stdout, stderr }));
      else resolve({ code, stdout, stderr });
    });
  });
}

async function binJson(home: Home, args: readonly string[], env: NodeJS.ProcessEnv): Promise<any> {
  const r = await bin(home, ['--json', ...args], env);
  if (r.code !== 0) throw new Error(`runledger ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout);
}

const attemptLog = (home: Home, runId: string, n: number) => join(home.dir, 'runs', runId, String(n), 'stdout.log');
const readIfThere = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

/** Wait until attempt n printed its `NAME=` line (the fixture's handshake) and return the value. */
async function printed(home: Home, runId: string, n: number, name: string): Promise<string> {
  const pattern = new RegExp(`^${name}=(.*)$`, 'm');
  await waitUntil(() => pattern.test(readIfThere(attemptLog(home, runId, n))), `attempt ${n} to print ${name}`, 2400);
  return pattern.exec(readIfThere(attemptLog(home, runId, n)))![1]!;
}

async function ended(home: Home, runId: string, env: NodeJS.ProcessEnv): Promise<any> {
  let run: any;
  await waitUntil(
    async () => {
      run = (await binJson(home, ['show', runId], env)).run;
      return run.endedAt !== null;
    },
    'the run to end',
    2400,
  );
  home.track(run);
  return run;
}

/** `daemon stop` then `daemon start` from an environment that lacks the caller's variables. */
async function restartDaemon(home: Home): Promise<void> {
  expect((await bin(home, ['daemon', 'stop'], callerEnv())).code).toBe(0);
  expect((await bin(home, ['daemon', 'start'], callerEnv())).code).toBe(0);
}

const fixtureArgs = (gate: string, ...names: string[]) => ['--', process.execPath, join(FIXTURES, 'print-env-until.mjs'), gate, ...names];

describe('the inherited environment is captured at run', () => {
  it(
    'attempt 2, spawned by a restarted daemon, sees FOO=from-caller like attempt 1',
    async () => {
      const home = newHome();
      const gate = join(scratch(), 'go');
      const env = callerEnv({ FOO: 'from-caller' });
      const { run } = await binJson(home, ['run', '--restart', 'on-failure', '--max-restarts', '1', ...fixtureArgs(gate, 'FOO')], env);
      home.track(run);
      expect(await printed(home, run.id, 1, 'FOO')).toBe('from-caller');
      await restartDaemon(home);
      writeFileSync(gate, '');
      expect(await printed(home, run.id, 2, 'FOO')).toBe('from-caller');
      const final = await ended(home, run.id, env);
      expect(final.attempts.map((a: any) => a.status)).toEqual(['exited', 'exited']);
      // Kept in the run's directory, private to the user; never in the ledger.
      const file = join(home.dir, 'runs', run.id, 'env.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toContain('from-caller');
      expect((await bin(home, ['export', '--run', run.id], env)).stdout).not.toContain('from-caller');
    },
    SLOW,
  );
});

describe('--env-file', () => {
  it(
    'a secret from an env file survives a daemon restart (the file is read at each spawn) and is never written by runledger',
    async () => {
      const home = newHome();
      const dir = scratch();
      const gate = join(dir, 'go');
      const envFile = join(dir, 'secrets.env');
      writeFileSync(envFile, '# kept by the user\nAPI_KEY=s3cr3t-first\nexport PLAIN="from file"\n', { mode: 0o600 });
      const env = callerEnv({ FOO: 'from-caller', GITHUB_TOKEN: 'inherited-t0ken' });
      const args = [
        'run',
        '--env-file',
        envFile,
        '--restart',
        'on-failure',
        '--max-restarts',
        '1',
        ...fixtureArgs(gate, 'API_KEY', 'PLAIN', 'FOO', 'GITHUB_TOKEN'),
      ];
      const { run } = await binJson(home, args, env);
      home.track(run);
      expect(await printed(home, run.id, 1, 'API_KEY')).toBe('s3cr3t-first');
      expect(await printed(home, run.id, 1, 'PLAIN')).toBe('from file');
      await restartDaemon(home);
      // The user rotates the secret while the run lives: the next attempt reads the file again.
      writeFileSync(envFile, 'API_KEY=s3cr3t-second\nPLAIN="from file"\nGITHUB_TOKEN=t0ken-from-file\n');
      writeFileSync(gate, '');
      expect(await printed(home, run.id, 2, 'API_KEY')).toBe('s3cr3t-second');
      expect(await printed(home, run.id, 2, 'FOO')).toBe('from-caller');
      // An inherited secret is not kept on disk; here the env file supplies it again.
      expect(await printed(home, run.id, 2, 'GITHUB_TOKEN')).toBe('t0ken-from-file');
      await ended(home, run.id, env);

      const requested = (await bin(home, ['events', '--json', '--run', run.id, '--type', 'RunRequested'], env)).stdout;
      expect(JSON.parse(requested).data.spec.envFile).toBe(envFile);
      const ledger = (await bin(home, ['events', '--json'], env)).stdout + (await bin(home, ['export'], env)).stdout;
      for (const secret of ['s3cr3t', 'inherited-t0ken', 't0ken-from-file']) expect(ledger).not.toContain(secret);
      const file = join(home.dir, 'runs', run.id, 'env.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const kept = readFileSync(file, 'utf8');
      expect(kept).toContain('from-caller');
      for (const secret of ['s3cr3t', 'inherited-t0ken', 't0ken-from-file', 'from file']) expect(kept).not.toContain(secret);
    },
    SLOW,
  );

  it(
    'is not swallowed by node: a missing env file is our error with a code, not node exit 9',
    async () => {
      const home = newHome();
      const env = callerEnv();
      for (const args of [['--env-file', '/nonexistent/rl.env'], ['--env-file=/nonexistent/rl.env']]) {
        const r = await bin(home, ['run', ...args, '--', 'true'], env);
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(/error \[ENV_FILE_UNREADABLE\]: .*\/nonexistent\/rl\.env/);
      }
    },
    SLOW,
  );
});

describe('secrets unavailable after a daemon restart', () => {
  it(
    'the run ends SECRETS_UNAVAILABLE saying how to recover, and rerun --env recovers it',
    async () => {
      const home = newHome();
      const gate = join(scratch(), 'go');
      const env = callerEnv();
      const { run } = await binJson(
        home,
        ['run', '--env', 'API_KEY=first', '--restart', 'on-failure', '--max-restarts', '1', ...fixtureArgs(gate, 'API_KEY')],
        env,
      );
      home.track(run);
      expect(await printed(home, run.id, 1, 'API_KEY')).toBe('first');
      await restartDaemon(home);
      writeFileSync(gate, '');
      const failed = await ended(home, run.id, env);
      expect(failed.status).toBe('failed');
      expect(failed.reason).toMatch(/API_KEY/);
      expect(failed.reason).toContain(`runledger rerun ${failed.shortId} --env API_KEY=`);
      expect(failed.reason).toContain('--env-file');
      const events = (await bin(home, ['events', '--json', '--run', run.id, '--type', 'ProcessSpawnFailed'], env)).stdout;
      expect(JSON.parse(events.trim()).data.code).toBe('SECRETS_UNAVAILABLE');

      const { run: again } = await binJson(home, ['rerun', run.id, '--env', 'API_KEY=second'], env);
      home.track(again);
      expect(again.rerunOf).toBe(run.id);
      expect(await printed(home, again.id, 1, 'API_KEY')).toBe('second');
      expect((await bin(home, ['export'], env)).stdout).not.toContain('second');
    },
    SLOW,
  );

  it(
    'rerun --env-file supplies the secrets from a file',
    async () => {
      const home = newHome();
      const dir = scratch();
      const env = callerEnv();
      const { run } = await binJson(home, ['run', '--env', 'DB_PASSWORD=pw1', ...fixtureArgs(join(dir, 'go'), 'DB_PASSWORD')], env);
      home.track(run);
      writeFileSync(join(dir, 'go'), '');
      await ended(home, run.id, env);
      const missing = await bin(home, ['rerun', run.id], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('DB_PASSWORD');
      const envFile = join(dir, 'db.env');
      writeFileSync(envFile, 'DB_PASSWORD=pw-from-file\n', { mode: 0o600 });
      const { run: again } = await binJson(home, ['rerun', run.id, '--env-file', envFile], env);
      home.track(again);
      expect(await printed(home, again.id, 1, 'DB_PASSWORD')).toBe('pw-from-file');
    },
    SLOW,
  );
});
