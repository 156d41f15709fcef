/**
 * Issue 12 through the built binary in a real daemon: ps shows restarts and
 * no stale exit, restart prints a real row, show names the runtime (and how
 * to attach to tmux), names work as ids, templates name their runs, a --bind
 * typo is refused, rerun overrides fields, run --wait --json streams NDJSON,
 * and the small lies (replay durations, config paths, a missing cwd, the V8
 * warning, --env-file through node, the timeline's columns).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, Home, waitUntil } from './helpers.js';

const SLOW = 120_000;
let home: Home;
let dir: string;
beforeAll(() => {
  home = new Home();
  dir = mkdtempSync(join(tmpdir(), 'rl-everyday-'));
});
afterAll(async () => {
  await home.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const show = async (id: string) => (await home.json(['show', id])).run;
const tableRow = (out: string, shortId: string) => out.split('\n').find((l) => l.startsWith(shortId)) ?? '';

function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('ps and restart', () => {
  it(
    'a run that crashed once and runs again shows ↺1 and no exit code of the crashed attempt',
    async () => {
      const flag = join(dir, 'crashed-once');
      const script = `if [ -e ${flag} ]; then echo UP; exec sleep 300; else touch ${flag}; exit 3; fi`;
      const run = await home.start(['--name', 'phoenix', '--restart', 'on-failure', '--', 'sh', '-c', script]);
      await waitUntil(
        async () => (await show(run.id)).attempts.length === 2 && (await show(run.id)).status === 'running',
        'attempt 2',
        600,
      );
      home.track(await show(run.id));
      const table = (await home.cli(['ps'])).stdout;
      const row = tableRow(table, run.shortId);
      expect(row).toMatch(/\brunning ↺1\s/);
      // EXIT, found by the header (CPU% and RSS come before it when a daemon answers): the live attempt has not exited.
      expect(row.slice(table.indexOf('EXIT')).split(/\s+/)[0]).toBe('-');
      expect((await home.json(['ps'])).runs.find((r: any) => r.id === run.id)).toMatchObject({ restarts: 1, status: 'running' });
    },
    SLOW,
  );

  it(
    'restart prints the run as a ps row once the next attempt runs',
    async () => {
      const run = await home.start(['--name', 'bouncer', '--', 'sleep', '300']);
      const r = await home.cli(['restart', run.shortId]);
      expect(r.code).toBe(0);
      const [header, row] = r.stdout.trim().split('\n');
      expect(header).toMatch(/^ID\s+NAME\s+STATUS\s+PID\s+TIME\s+EXIT\s+COMMAND$/);
      expect(row).toMatch(new RegExp(`^${run.shortId}\\s+bouncer\\s+running ↺1\\s+\\d+\\s+\\S+\\s+-\\s+sleep 300$`));
      const after = await show(run.id);
      home.track(after);
      expect(row).toContain(String(after.attempts[1].pid));
    },
    SLOW,
  );
});

describe('ps --watch', () => {
  /** Start the binary (through `wrap`, e.g. script(1) for a terminal), collect stdout until `done`, then SIGINT it by pid. */
  async function watch(argv: string[], done: (out: string) => boolean): Promise<{ out: string; code: number | null }> {
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitUntil(() => done(out), 'frames', 600);
    } finally {
      child.kill('SIGINT');
    }
    return { out, code: await exited };
  }

  it('refuses a pipe without --json (USAGE), since it cannot redraw one', async () => {
    const r = await home.cli(['ps', '--watch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error \[USAGE\]: ps --watch redraws a terminal; .*--json/);
  });

  it(
    '--json: one NDJSON ps snapshot per interval until Ctrl-C',
    async () => {
      const run = await home.start(['--name', 'watched', '--', 'sleep', '300']);
      const argv = [process.execPath, '--', BIN, '--home', home.dir, '--json', 'ps', '--watch', '--interval', '100ms'];
      const { out, code } = await watch(argv, (o) => o.split('\n').length > 3);
      expect(code).toBe(0);
      const frames = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(frames.length).toBeGreaterThanOrEqual(3);
      for (const f of frames) expect(f.runs.map((r: any) => r.id)).toContain(run.id);
      expect(Date.parse(frames[2].time)).toBeGreaterThan(Date.parse(frames[0].time));
    },
    SLOW,
  );

  it.skipIf(!hasScript())(
    'on a terminal: each frame moves the cursor back over the last one and clears it',
    async () => {
      const inner = [process.execPath, '--', BIN, '--home', home.dir, 'ps', '--watch', '--interval', '100ms'].join(' ');
      await home.start(['--name', 'watched-tty', '--', 'sleep', '300']);
      const { out } = await watch(['script', '-qfc', inner, '/dev/null'], (o) => (o.match(/COMMAND/g) ?? []).length >= 3);
      // Each frame is written after a clear; each but the last ends by moving up over its own lines.
      const frames = out.split('\x1b[J').slice(1);
      expect(frames.length).toBeGreaterThanOrEqual(3);
      for (const frame of frames.slice(0, 2)) {
        const up = /\x1b\[(\d+)F$/.exec(frame)!;
        expect(up).not.toBeNull();
        const content = frame.slice(0, up.index);
        expect(content).toMatch(/ID\s+NAME\s+STATUS/);
        expect(Number(up[1])).toBe(content.trimEnd().split(/\r?\n/).length);
      }
    },
    SLOW,
  );
});

describe('show names the runtime', () => {
  it(
    'background: runtime in show and show --json',
    async () => {
      const run = await home.start(['--', 'sleep', '300']);
      expect((await home.cli(['show', run.shortId])).stdout).toMatch(/^runtime\s+background$/m);
      expect((await home.json(['show', run.id])).run.runtime).toBe('background');
    },
    SLOW,
  );

  it.skipIf(!hasTmux())(
    'tmux: show gives runledger attach and the raw tmux command; ps marks the run',
    async () => {
      const run = await home.start(['--runtime', 'tmux', '--name', 'pane', '--', 'sleep', '300']);
      const shown = await home.json(['show', run.id]);
      expect(shown.run.runtime).toBe('tmux');
      expect(shown.attach.runledger).toBe(`runledger attach ${run.shortId}`);
      expect(shown.attach.tmux).toEqual(['tmux', '-S', join(home.dir, 'tmux.sock'), 'attach-session', '-t', `rl-${run.id}`]);
      // The raw command really names the session.
      execFileSync('tmux', ['-S', join(home.dir, 'tmux.sock'), 'has-session', '-t', `rl-${run.id}`]);
      const human = (await home.cli(['show', run.shortId])).stdout;
      expect(human).toContain(`runledger attach ${run.shortId}`);
      expect(human).toContain(`tmux -S ${join(home.dir, 'tmux.sock')} attach-session -t rl-${run.id}`);
      expect(tableRow((await home.cli(['ps'])).stdout, run.shortId)).toMatch(/pane \[tmux\]/);
      await home.cli(['stop', run.id]);
    },
    SLOW,
  );
});

describe('names', () => {
  it(
    'stop, show and logs take a run name; two active runs of one name are AMBIGUOUS_ID listing them',
    async () => {
      const web = await home.start(['--name', 'webby', '--', 'sh', '-c', 'echo hello-from-webby; exec sleep 300']);
      await waitUntil(async () => (await home.cli(['logs', 'webby'])).stdout.includes('hello-from-webby'), 'logs by name', 600);
      expect((await home.json(['show', 'webby'])).run.id).toBe(web.id);
      const twin = await home.start(['--name', 'webby', '--', 'sleep', '300']);
      const amb = await home.cli(['stop', 'webby']);
      expect(amb.code).toBe(1);
      expect(amb.stderr).toMatch(/AMBIGUOUS_ID/);
      expect(amb.stderr).toContain(web.shortId);
      expect(amb.stderr).toContain(twin.shortId);
      const one = await home.json(['stop', twin.shortId]);
      expect(one.runs[0].id).toBe(twin.id);
      // Now one active "webby" is left: the name means it, not the newer ended one.
      const stopped = await home.json(['stop', 'webby']);
      expect(stopped.runs[0]).toMatchObject({ id: web.id, status: 'stopped' });
      // None active: the newest of that name.
      expect((await home.json(['show', 'webby'])).run.id).toBe(twin.id);
    },
    SLOW,
  );
});

describe('templates', () => {
  const config = () => join(dir, 'runledger.config.json');
  beforeAll(() => {
    writeFileSync(
      config(),
      JSON.stringify({
        templates: {
          napper: { command: 'sleep', args: ['{{secs}}'], vars: { secs: '300' }, labels: { port: '{{port}}' } },
          broken: { command: 'sleep', args: ['1'], timeout: '5 parsecs' },
          looper: { command: 'true', restart: { policy: 'always', backoff: '10ms', maxBackoff: '10ms' } },
          forever: { command: 'true', restart: { policy: 'always', maxRestarts: 'unlimited' } },
        },
        batches: { pair: ['napper', { template: 'napper', bind: { secs: '301' } }] },
      }),
    );
  });

  it(
    'template and batch runs are named after their template',
    async () => {
      const one = await home.json(['run', '--config', config(), '-t', 'napper', '--bind', 'port=1']);
      home.track(one.run);
      expect(one.run.name).toBe('napper');
      const batch = await home.json(['run', '--config', config(), '--batch', 'pair', '--bind', 'port=2']);
      batch.runs.forEach((r: any) => home.track(r));
      expect(batch.runs.map((r: any) => r.name)).toEqual(['napper', 'napper']);
    },
    SLOW,
  );

  it('an unknown --bind is USAGE naming it and the template variables', async () => {
    const r = await home.cli(['run', '--config', config(), '-t', 'napper', '--bind', 'prot=8080', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/USAGE/);
    expect(r.stderr).toContain('"prot"');
    expect(r.stderr).toContain('port, secs');
    const b = await home.cli(['run', '--config', config(), '--batch', 'pair', '--bind', 'prot=1', '--dry-run']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('"prot"');
  });

  it(
    '--max-restarts unlimited keeps restarting past the default limit of 5 (flag and config)',
    async () => {
      const run = await home.start(['--config', config(), '-t', 'looper', '--max-restarts', 'unlimited', '--min-uptime', '1h']);
      await waitUntil(async () => (await show(run.id)).restarts >= 7, 'seven restarts', 1200);
      expect((await show(run.id)).status).not.toBe('completed');
      await home.cli(['stop', run.id]);
      const dry = await home.json(['run', '--config', config(), '-t', 'forever', '--dry-run']);
      expect(dry.runs[0].spec.restart.maxRestarts).toBe(Number.MAX_SAFE_INTEGER);
      const bad = await home.cli(['run', '--max-restarts', 'lots', '--', 'true']);
      expect(bad.code).toBe(2);
    },
    SLOW,
  );

  it('a template field the spec refuses is INVALID_CONFIG with the file and the path', async () => {
    const r = await home.cli(['run', '--config', config(), '-t', 'broken']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error [INVALID_CONFIG]: ${config()}: templates.broken.timeout: `);
  });
});

describe('rerun, --max-restarts unlimited, run --wait --json', () => {
  it(
    'rerun --env/--cwd/--timeout/--name/--label change the new run, the rest is the recorded spec',
    async () => {
      const first = await home.start(['--name', 'orig', '--label', 'a=1', '--', 'sleep', '300']);
      const again = await home.json([
        'rerun',
        first.id,
        '--name',
        'copy',
        '--label',
        'b=2',
        '--cwd',
        dir,
        '--timeout',
        '5m',
        '--env',
        'X=1',
      ]);
      home.track(again.run);
      expect(again.run).toMatchObject({ name: 'copy', cwd: dir, labels: { a: '1', b: '2' }, command: 'sleep', args: ['300'] });
      const events = (await home.cli(['--json', 'events', '--run', again.run.id])).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(events[0].data.spec).toMatchObject({ timeoutMs: 300_000, env: { X: '1' } });
    },
    SLOW,
  );

  it(
    'run --wait --json: one NDJSON line per output line, then the result',
    async () => {
      const r = await home.cli(['--json', 'run', '--wait', '--', 'sh', '-c', 'echo out1; echo err1 >&2; exit 4']);
      expect(r.code).toBe(4);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const output = lines.slice(0, -1);
      expect(output.map(({ stream, line }: any) => `${stream}:${line}`).sort()).toEqual(['stderr:err1', 'stdout:out1']);
      for (const o of output) expect(Number.isNaN(Date.parse(o.time))).toBe(false);
      expect(lines.at(-1).run).toMatchObject({ status: 'failed', exitCode: 4 });
    },
    SLOW,
  );
});

describe('small lies', () => {
  it(
    'replay --at POSITION measures an active run up to that position, not to now',
    async () => {
      const run = await home.start(['--ready-line', 'RUNLEDGER-READY', '--', process.execPath, join(FIXTURES, 'ready-after.mjs'), '300']);
      await waitUntil(async () => (await show(run.id)).status === 'running', 'ready', 600);
      const events = (await home.cli(['--json', 'events', '--run', run.id])).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const readyEvent = events.find((e: any) => e.type === 'ProcessReady');
      const spawned = events.find((e: any) => e.type === 'ProcessSpawned');
      const replay = await home.json(['replay', '--at', String(readyEvent.position), '--all']);
      const then = replay.runs.find((r: any) => r.id === run.id);
      expect(then.status).toBe('running');
      expect(then.durationMs).toBe(Date.parse(readyEvent.time) - Date.parse(spawned.time));
    },
    SLOW,
  );

  it(
    '--cwd /does/not/exist is recorded as a failed spawn, like a missing command',
    async () => {
      const r = await home.cli(['--json', 'run', '--cwd', '/does/not/exist', '--', 'true']);
      expect(r.code).toBe(1);
      const { run } = JSON.parse(r.stdout);
      expect(run).toMatchObject({ status: 'failed', attempts: [{ status: 'spawn-failed', spawnError: 'SPAWN_FAILED' }] });
      expect(run.reason).toContain('/does/not/exist');
      expect((await home.json(['ps', '--all'])).runs.map((x: any) => x.id)).toContain(run.id);
    },
    SLOW,
  );

  it('daemon.log carries no V8 flag warning', async () => {
    await home.json(['ps']); // the daemon runs already (started by the tests above)
    expect(readFileSync(join(home.dir, 'daemon.log'), 'utf8')).not.toMatch(/Warning: disabling flag/);
  });

  it(
    'run --env-file through node: the flag reaches runledger (ENV_FILE_UNREADABLE), not node (exit 9)',
    async () => {
      const r = await home.cli(['run', '--env-file', join(dir, 'missing.env'), '--', 'true']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/ENV_FILE_UNREADABLE/);
    },
    SLOW,
  );

  it(
    "the timeline's text column stays put past event #100",
    async () => {
      // A fresh home, so this run's positions cross from two digits to three.
      const fresh = new Home();
      try {
        const phases = Array.from({ length: 110 }, (_, i) => `p${i}`);
        const r = await fresh.cli(['run', '--wait', '--', process.execPath, join(FIXTURES, 'checkpoint.mjs'), ...phases]);
        expect(r.code).toBe(0);
        const id = /run (\w+) completed/.exec(r.stderr)![1]!;
        const out = (await fresh.cli(['show', id])).stdout;
        const lines = out
          .slice(out.indexOf('timeline\n') + 'timeline\n'.length)
          .split('\n')
          .filter((l) => /#\d+/.test(l));
        const positions = lines.map((l) => /#(\d+)/.exec(l)?.[1]);
        expect(positions.some((p) => p && p.length === 2) && positions.some((p) => p && p.length === 3)).toBe(true);
        const columns = new Set(lines.map((l) => l.search(/(requested|spawned|checkpoint|exited|run ended)/)));
        expect([...columns]).toHaveLength(1);
      } finally {
        await fresh.cleanup();
      }
    },
    SLOW,
  );
});
