/** `logs` on live, busy, restarted and timestamped runs: with a daemon, with -f, and with none. */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, FIXTURES, Home, waitUntil } from './helpers.js';

const fixture = (name: string) => join(FIXTURES, name);
const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

let home: Home;
let busy: any;
let crashy: any;
let stamped: any;
let firstSeenAt = 0;
let secondReleasedAt = 0;
/** The times as the first daemon answered them: every later answer (no daemon, the next daemon) must be the same. */
let firstTimes: string[] | undefined;

beforeAll(async () => {
  home = new Home();
  busy = await home.start(['--', process.execPath, fixture('print-forever.mjs')]);
  crashy = await home.start([
    '--restart',
    'on-failure',
    '--max-restarts',
    '2',
    '--',
    'sh',
    '-c',
    `n=$(cat ${join(home.dir, 'count')} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${join(home.dir, 'count')}; echo "out of attempt $n"; echo "err of attempt $n" >&2; exit 3`,
  ]);
  const release = join(home.dir, 'release');
  stamped = await home.start(['--', 'sh', '-c', `echo one; while [ ! -e ${release} ]; do sleep 0.05; done; echo two; exec sleep 600`]);
  await waitUntil(async () => (await home.cli(['logs', stamped.id])).stdout === 'one\n', 'the first line', 600);
  firstSeenAt = Date.now();
  // A gap a timestamp must show and a file's mtime could not: the second line comes well after the first.
  await new Promise((r) => setTimeout(r, 1500));
  secondReleasedAt = Date.now();
  writeFileSync(release, '');
  await waitUntil(async () => (await home.cli(['logs', stamped.id])).stdout === 'one\ntwo\n', 'the second line', 600);
  await waitUntil(async () => (await home.json(['show', crashy.id])).run.status === 'failed', 'the crash loop to give up', 600);
  const busyLog = join(home.dir, 'runs', busy.id, '1', 'stdout.log');
  await waitUntil(() => existsSync(busyLog) && statSync(busyLog).size > 10_000, 'busy output', 600);
}, 120_000);
afterAll(async () => {
  await home.cleanup();
});

/** `logs -f …` of a live run: its stdout once it printed `lines` lines, then it is stopped (by pid). */
function followUntil(args: string[], lines: number): Promise<string> {
  const child = spawn(process.execPath, [BIN, '--home', home.dir, 'logs', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`logs ${args.join(' ')} printed only ${JSON.stringify(out)}`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').length - 1 < lines) return;
      clearTimeout(deadline);
      child.kill('SIGKILL');
      resolve(out);
    });
  });
}

/** `-n 3` of a file that grows while it is read: three consecutive lines, whichever three were last. */
function expectThreeConsecutive(stdout: string) {
  const lines = stdout.split('\n').filter(Boolean);
  expect(lines).toHaveLength(3);
  const numbers = lines.map((l) => Number(/^line (\d+)$/.exec(l)?.[1]));
  expect(numbers[1]).toBe(numbers[0]! + 1);
  expect(numbers[2]).toBe(numbers[0]! + 2);
}

function checkAll(label: string) {
  describe(label, () => {
    it('-n 3 on a busy live log prints exactly 3 lines', async () => {
      for (let i = 0; i < 2; i++) expectThreeConsecutive((await home.cli(['logs', busy.id, '-n', '3'])).stdout);
      const json = ndjson((await home.cli(['logs', busy.id, '-n', '3', '--json'])).stdout);
      expect(json).toHaveLength(3);
    }, 120_000);

    it('--attempt N reaches an earlier attempt of a crash loop; --attempt all shows every one', async () => {
      expect((await home.cli(['logs', crashy.id, '--attempt', '1'])).stdout).toBe('out of attempt 1\n');
      expect((await home.cli(['logs', crashy.id, '--attempt', '2', '--stderr'])).stderr).toContain('err of attempt 2\n');
      expect((await home.cli(['logs', crashy.id])).stdout).toBe('out of attempt 3\n');
      const all = await home.cli(['logs', crashy.id, '--attempt', 'all', '--stdout']);
      expect(all.stdout).toBe('out of attempt 1\nout of attempt 2\nout of attempt 3\n');
      const json = ndjson((await home.cli(['logs', crashy.id, '--attempt', 'all', '--stdout', '--json'])).stdout);
      expect(json.map((l) => [l.attempt, l.line])).toEqual([
        [1, 'out of attempt 1'],
        [2, 'out of attempt 2'],
        [3, 'out of attempt 3'],
      ]);
      // -f of an ended run prints what there is and returns; with all, every attempt in order.
      expect((await home.cli(['logs', crashy.id, '-f', '--attempt', 'all', '--stdout'])).stdout).toBe(all.stdout);
      expect((await home.cli(['logs', crashy.id, '-f', '--attempt', '2', '--stdout'])).stdout).toBe('out of attempt 2\n');
      const missing = await home.cli(['logs', crashy.id, '--attempt', '9', '--json']);
      expect(missing.code).toBe(1);
      expect(JSON.parse(missing.stderr).error.code).toBe('ATTEMPT_NOT_FOUND');
    }, 120_000);

    it('--timestamps gives the time each line was read, stored beside the log', async () => {
      const json = ndjson((await home.cli(['logs', stamped.id, '--timestamps', '--json'])).stdout);
      expect(json.map((l) => l.line)).toEqual(['one', 'two']);
      const [one, two] = json.map((l) => Date.parse(l.time));
      expect(one).toBeLessThanOrEqual(firstSeenAt);
      expect(two).toBeGreaterThanOrEqual(secondReleasedAt - 50);
      expect(two! - one!).toBeGreaterThanOrEqual(1400);
      firstTimes ??= json.map((l) => l.time);
      expect(json.map((l) => l.time)).toEqual(firstTimes);
      const human = (await home.cli(['logs', stamped.id, '--timestamps'])).stdout.split('\n');
      expect(human[0]).toBe(`${json[0].time} one`);
      // -f prints the same times (the run is live: stop following with a timeout once both lines came).
      const followed = ndjson(await followUntil([stamped.id, '-f', '--timestamps', '--json', '-n', '2'], 2));
      expect(followed.map((l) => [l.line, l.time])).toEqual(json.map((l) => [l.line, l.time]));
    }, 120_000);

    it('--since keeps the lines read after a time or within a duration', async () => {
      const between = new Date(secondReleasedAt - 200).toISOString();
      expect((await home.cli(['logs', stamped.id, '--since', between])).stdout).toBe('two\n');
      expect((await home.cli(['logs', stamped.id, '--since', '1h'])).stdout).toBe('one\ntwo\n');
      expect(await followUntil([stamped.id, '-f', '--since', between], 1)).toBe('two\n');
      const bad = await home.cli(['logs', stamped.id, '--since', 'yesterday-ish']);
      expect(bad.code).toBe(2);
    }, 120_000);
  });
}

checkAll('with a daemon');

describe('without a daemon', () => {
  beforeAll(async () => {
    expect((await home.cli(['daemon', 'stop'])).code).toBe(0);
  });
  checkAll('offline (the timestamps survived the daemon)');
});

describe('with the next daemon', () => {
  it('--timestamps gives the same times as the first daemon did', async () => {
    expect((await home.cli(['daemon', 'start'])).code).toBe(0);
    const json = ndjson((await home.cli(['logs', stamped.id, '--timestamps', '--json'])).stdout);
    expect(firstTimes).toHaveLength(2);
    expect(json.map((l) => l.time)).toEqual(firstTimes);
  }, 120_000);
});
