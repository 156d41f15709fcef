/** Every command against a real daemon, for people and with --json. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, Home, lastJsonLine, waitUntil } from './helpers.js';

const RUN_VIEW_KEYS = [
  'id',
  'shortId',
  'name',
  'status',
  'reason',
  'exitCode',
  'signal',
  'command',
  'args',
  'cwd',
  'labels',
  'slot',
  'key',
  'owner',
  'createdAt',
  'startedAt',
  'endedAt',
  'attempts',
];
const ATTEMPT_KEYS = ['n', 'pid', 'pgid', 'startTime', 'bootId', 'exitCode', 'signal', 'startedAt', 'endedAt'];
const fixture = (name: string) => join(FIXTURES, name);

let home: Home;
beforeAll(() => {
  home = new Home();
});
afterAll(async () => {
  await home.cleanup();
});

describe('run', () => {
  it('prints the short id for people and the RunView with --json', async () => {
    const human = await home.cli(['run', '--name', 'sleeper', '--label', 'team=cli', '--', 'sleep', '600']);
    expect(human.code).toBe(0);
    expect(human.stdout.trim()).toMatch(/^[0-9a-z]{7}$/);
    const { run, reused } = await home.json([
      'run',
      '--name',
      'sleeper2',
      '--label',
      'team=cli',
      '--session',
      'S1',
      '--turn',
      'T1',
      '--',
      'sleep',
      '600',
    ]);
    home.track(run);
    expect(reused).toBe(false);
    for (const k of RUN_VIEW_KEYS) expect(run).toHaveProperty(k);
    for (const k of ATTEMPT_KEYS) expect(run.attempts[0]).toHaveProperty(k);
    expect(run.owner).toEqual({ session: 'S1', turn: 'T1' });
    expect(run.labels).toEqual({ team: 'cli' });
  });

  it('--wait exits with the child code, 128+n for a signal', async () => {
    const seven = await home.cli(['run', '--wait', '--', process.execPath, fixture('exit-with-code.mjs'), '7']);
    expect(seven.code).toBe(7);
    expect(seven.stderr).toMatch(/runledger: run [0-9a-z]{7} started/);
    expect(seven.stderr).toMatch(/runledger: run [0-9a-z]{7} failed \(exited with code 7\)/);
    // The child's output streams through while --wait waits, stdout to stdout and stderr to stderr.
    const shown = await home.cli(['run', '--wait', '--', 'sh', '-c', 'echo to-out; echo to-err >&2']);
    expect(shown.stdout).toBe('to-out\n');
    expect(shown.stderr).toContain('to-err\n');
    const term = await home.cli(['run', '--wait', '--json', '--', 'sh', '-c', 'kill -TERM $$']);
    expect(term.code).toBe(128 + 15);
    expect(JSON.parse(lastJsonLine(term.stdout)).run).toMatchObject({ status: 'failed', signal: 'SIGTERM' });
    expect((await home.cli(['run', '--wait', '--', 'true'])).code).toBe(0);
  });

  it("sends the caller's environment for spawning but records only --env, secrets redacted", async () => {
    const r = await home.cli(
      [
        'run',
        '--wait',
        '--json',
        '--env',
        'FROM_FLAG=yes',
        '--env',
        'API_TOKEN=hunter2',
        '--',
        process.execPath,
        fixture('print-env.mjs'),
        'FROM_FLAG',
        'FROM_CALLER',
        'API_TOKEN',
      ],
      {
        env: { FROM_CALLER: 'inherited' },
      },
    );
    expect(r.code).toBe(0);
    const id = JSON.parse(lastJsonLine(r.stdout)).run.id;
    const logs = await home.cli(['logs', id, '--stdout']);
    expect(logs.stdout).toContain('FROM_FLAG=yes');
    expect(logs.stdout).toContain('FROM_CALLER=inherited');
    expect(logs.stdout).toContain('API_TOKEN=hunter2');
    const exported = (await home.cli(['export', '--run', id])).stdout;
    expect(exported).toContain('FROM_FLAG');
    expect(exported).not.toContain('inherited');
    expect(exported).not.toContain('hunter2');
  });

  it('uses a shell only with --shell', async () => {
    const literal = await home.json(['run', '--wait', '--', 'echo', 'a|tr a b']);
    expect((await home.cli(['logs', literal.run.id])).stdout).toBe('a|tr a b\n');
    const shelled = await home.json(['run', '--wait', '--shell', '--', 'echo a | tr a b']);
    expect((await home.cli(['logs', shelled.run.id])).stdout).toBe('b\n');
  });

  it('--dry-run prints the normalized spec and starts nothing', async () => {
    const before = await home.ledger();
    const dry = await home.json(['run', '--dry-run', '--timeout', '30s', '--restart', 'on-failure', '--', 'sleep', '1']);
    expect(dry.runs[0].spec).toMatchObject({ command: 'sleep', args: ['1'], timeoutMs: 30_000, restart: { policy: 'on-failure' } });
    expect((await home.cli(['run', '--dry-run', '--', 'sleep', '1'])).stdout).toContain('"timeoutMs": null');
    expect((await home.ledger()).head).toBe(before.head);
  });
});

describe('templates and batches', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-cfg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'runledger.config.json'),
    JSON.stringify({
      templates: {
        nap: { command: 'sleep', args: ['{{secs}}'], name: 'nap-{{secs}}', labels: { from: 'template' }, vars: { secs: '60' } },
        say: { command: 'echo', args: ['{{word}}'] },
      },
      batches: { pair: ['nap', { template: 'say', bind: { word: 'hello' } }] },
    }),
  );

  it('run -t starts a template with --bind; --dry-run shows it', async () => {
    const { run } = await home.json(['run', '-t', 'nap', '--bind', 'secs=61'], { cwd: dir });
    home.track(run);
    expect(run).toMatchObject({ name: 'nap-61', args: ['61'], labels: { from: 'template' } });
    const dry = await home.json(['run', '-t', 'say', '--bind', 'word=hi', '--dry-run'], { cwd: dir });
    expect(dry.runs[0]).toMatchObject({ template: 'say', spec: { command: 'echo', args: ['hi'] } });
  });

  it('--batch starts every template under one batch id; ps --batch filters', async () => {
    const { batchId, runs } = await home.json(['run', '--batch', 'pair'], { cwd: dir });
    runs.forEach((r: any) => home.track(r));
    expect(runs).toHaveLength(2);
    expect(new Set(runs.map((r: any) => r.batchId))).toEqual(new Set([batchId]));
    const listed = await home.json(['ps', '--all', '--batch', batchId]);
    expect(listed.runs.map((r: any) => r.id).sort()).toEqual(runs.map((r: any) => r.id).sort());
    const human = await home.cli(['run', '--batch', 'pair', '--config', join(dir, 'runledger.config.json')]);
    expect(human.stdout).toMatch(/^batch batch-/);
  });
});

describe('queries', () => {
  it('ps: a table for people, { source, runs, position } with --json, filters', async () => {
    const human = await home.cli(['ps']);
    expect(human.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+STATUS\s+PID\s+CPU%\s+RSS\s+TIME\s+EXIT\s+COMMAND$/);
    expect(human.stdout).toContain('sleeper');
    expect(human.stdout).not.toContain('\x1b[');
    const all = await home.json(['ps', '--all']);
    expect(all.source).toBe('daemon');
    expect(all.position).toBeGreaterThan(0);
    const active = await home.json(['ps']);
    expect(active.runs.every((r: any) => !['completed', 'failed', 'killed', 'stopped'].includes(r.status))).toBe(true);
    const labelled = await home.json(['ps', '--label', 'team=cli']);
    expect(labelled.runs.map((r: any) => r.name).sort()).toEqual(['sleeper', 'sleeper2']);
    expect((await home.json(['ps', '--session', 'S1'])).runs.map((r: any) => r.name)).toEqual(['sleeper2']);
    expect((await home.json(['ps', '--all', '--status', 'killed,stopped,completed', '--limit', '1'])).runs).toHaveLength(1);
  });

  it('show: facts, attempts and timeline', async () => {
    const { run } = await home
      .json(['run', '--wait', '--', process.execPath, fixture('exit-with-code.mjs'), '3'])
      .catch(() => ({ run: null }));
    const id = run?.id ?? (await home.json(['ps', '--all', '--status', 'failed'])).runs[0].id;
    const human = await home.cli(['show', id.slice(0, 10)]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('attempts');
    expect(human.stdout).toContain('timeline');
    expect(human.stdout).toContain('exited with code 3');
    const shown = await home.json(['show', id]);
    expect(shown.source).toBe('daemon');
    expect(shown.run.exitCode).toBe(3);
    expect(shown.timeline.map((t: any) => t.type)).toContain('RunEnded');
    expect(shown.logs.stdout).toMatch(/stdout\.log$/);
  });

  it('logs: -n, --stdout/--stderr, --json, -f until the run ends', async () => {
    const { run } = await home.json(['run', '--wait', '--', 'sh', '-c', 'for i in 1 2 3; do echo out$i; done; echo bad >&2']);
    expect((await home.cli(['logs', run.id, '--stdout'])).stdout).toBe('out1\nout2\nout3\n');
    expect((await home.cli(['logs', run.id, '--stdout', '-n', '1'])).stdout).toBe('out3\n');
    expect((await home.cli(['logs', run.id, '--stderr'])).stderr).toBe('bad\n');
    const lines = (await home.cli(['logs', run.id, '--json'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toContainEqual({ stream: 'stderr', line: 'bad' });
    const live = await home.start(['--', 'sh', '-c', 'echo first; sleep 1; echo second']);
    const followed = await home.cli(['logs', live.id, '-f', '--stdout']);
    expect(followed.stdout).toBe('first\nsecond\n');
  });

  it('events: lines for people, NDJSON envelopes, filters, -f follows', async () => {
    const human = await home.cli(['events', '--from', '1']);
    expect(human.stdout.split('\n')[0]).toMatch(/^#1\s+\S+\s+SupervisorStarted/);
    const ended = (await home.cli(['events', '--json', '--type', 'RunEnded', '--since', '1h'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(ended.length).toBeGreaterThan(0);
    expect(ended.every((e) => e.type === 'RunEnded' && typeof e.hash === 'string')).toBe(true);
    const run = await home.start(['--', 'sleep', '60']);
    const child = spawn(process.execPath, [BIN, '--home', home.dir, 'events', '-f', '--json', '--run', run.id], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitUntil(() => out.includes('ProcessSpawned'), 'history');
      await home.cli(['stop', run.id, '--grace', '1s']);
      await waitUntil(() => out.includes('"RunEnded"'), 'the live RunEnded');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('run --wait: Ctrl-C stops waiting, not the run, and says how to stop it', async () => {
    const child = spawn(process.execPath, [BIN, '--home', home.dir, 'run', '--wait', '--', 'sleep', '60'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitUntil(() => /started; its output follows/.test(err), 'the wait to begin');
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      const id = /run ([0-9a-z]{7}) goes on \(runledger stop \1 ends it\)/.exec(err)?.[1];
      expect(id).toBeDefined();
      expect((await home.json(['show', id!])).run.status).toBe('running');
      await home.cli(['stop', '--force', id!]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('replay: the runs as of a position', async () => {
    const { run } = await home.json(['run', '--wait', '--', 'true']);
    const shown = await home.json(['show', run.id]);
    const requested = shown.timeline.find((t: any) => t.type === 'RunRequested').position;
    const then = await home.json(['replay', '--at', String(requested), '--all']);
    expect(then.position).toBe(requested);
    expect(then.runs.find((r: any) => r.id === run.id).status).toBe('pending');
    const human = await home.cli(['replay', '--at', '1h', '--all']);
    expect(human.stdout).toMatch(/^as of position/);
  });

  it('verify and export agree with the ledger', async () => {
    const v = await home.json(['verify']);
    expect(v).toMatchObject({ ok: true, source: 'daemon' });
    expect((await home.cli(['verify'])).stdout).toMatch(/^ok: \d+ events checked/);
    const lines = (await home.cli(['export'])).stdout.trim().split('\n');
    // Runs from earlier tests may still append between the two commands: the export is at least as long.
    expect(lines.length).toBeGreaterThanOrEqual(v.head.position + 1);
    const last = JSON.parse(lines.at(-2)!);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ runledgerExportTrailer: 1, position: last.position, hash: last.hash });
    expect(last.position).toBe(lines.length - 1);
    expect(JSON.parse(lines[0]!).position).toBe(1);
  });
});

describe('control', () => {
  it('stop ID / --label waits and prints what stopped', async () => {
    const a = await home.start(['--label', 'grp=x', '--', 'sleep', '60']);
    const b = await home.start(['--label', 'grp=x', '--', 'sleep', '60']);
    const c = await home.start(['--', 'sleep', '60']);
    const one = await home.cli(['stop', c.shortId]);
    expect(one.stdout).toMatch(new RegExp(`^${c.shortId}\\s+stopped`));
    const byLabel = await home.json(['stop', '--label', 'grp=x', '--grace', '2s']);
    expect(byLabel.runs.map((r: any) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect(byLabel.runs.every((r: any) => r.status === 'stopped')).toBe(true);
  });

  it('stop --force kills a SIGTERM ignorer at once', async () => {
    const run = await home.start(['--ready-line', 'IGNORING', '--', process.execPath, fixture('ignore-sigterm.mjs')]);
    const stopped = await home.json(['stop', run.id, '--force']);
    expect(stopped.runs[0].signal).toBe('SIGKILL');
  });

  it('restart keeps the run; rerun makes a new one', async () => {
    const run = await home.start(['--', 'sleep', '60']);
    const restarted = await home.json(['restart', run.id]);
    expect(restarted.run.id).toBe(run.id);
    expect((await home.cli(['restart', run.id])).code).toBe(0);
    const again = await home.json(['rerun', run.id]);
    home.track(again.run);
    expect(again.run.id).not.toBe(run.id);
    expect(again.run.command).toBe('sleep');
    expect((await home.cli(['rerun', run.id])).stdout.trim()).toMatch(/^[0-9a-z]{7}$/);
  });

  it('interrupt --session prints { matched, signaled, stale }', async () => {
    await home.start(['--session', 'I1', '--turn', 'A', '--', 'sleep', '60']);
    const other = await home.start(['--session', 'I1', '--turn', 'B', '--', 'sleep', '60']);
    const report = await home.json(['interrupt', '--session', 'I1', '--turn', 'A']);
    expect(report.matched).toHaveLength(1);
    expect(report.signaled).toHaveLength(1);
    expect(report.stale).toEqual([]);
    const human = await home.cli(['interrupt', '--session', 'I1', '--turn', 'B']);
    expect(human.stdout).toContain(`signaled  ${other.shortId}`);
  });

  it('reconcile prints its report', async () => {
    const report = await home.json(['reconcile']);
    expect(report).toMatchObject({ adopted: 0, stale: 0 });
    expect((await home.cli(['reconcile'])).stdout).toMatch(/^checked\s+\d+/);
  });

  it('run: a command that cannot start is an error at once, and is still recorded', async () => {
    const r = await home.cli(['run', '--', 'runledger-no-such-command']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error \[SPAWN_FAILED\]: command not found: runledger-no-such-command \(run [0-9a-z]{7}\)/);
    const j = await home.cli(['run', '--json', '--', 'runledger-no-such-command']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).run).toMatchObject({ status: 'failed', attempts: [{ status: 'spawn-failed' }] });
  });

  it('attach: a clear error for background runs', async () => {
    const run = await home.start(['--', 'sleep', '60']);
    const r = await home.cli(['attach', run.id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[NOT_ATTACHABLE\]/);
    const j = await home.cli(['attach', run.id, '--json']);
    expect(JSON.parse(j.stderr).error.code).toBe('NOT_ATTACHABLE');
  });

  it('attach: a tmux run gives the command that attaches to its live session; stop --force ends it', async () => {
    const run = await home.start(['--runtime', 'tmux', '--', 'sh', '-c', 'echo in-tmux; sleep 60']);
    const { command, args } = await home.json(['attach', run.id]);
    expect(command).toBe('tmux');
    const socket = args[args.indexOf('-S') + 1];
    const session = args[args.indexOf('-t') + 1];
    // The session the attach command names is there, and shows the run's output.
    execFileSync('tmux', ['-S', socket, 'has-session', '-t', session]);
    await waitUntil(
      () => execFileSync('tmux', ['-S', socket, 'capture-pane', '-p', '-t', session], { encoding: 'utf8' }).includes('in-tmux'),
      'output in the pane',
    );
    try {
      const stopped = await home.json(['stop', '--force', run.id]);
      expect(stopped.runs[0]).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
    } finally {
      // Only our private server, through its socket (it also exits on its own once empty).
      try {
        execFileSync('tmux', ['-S', socket, 'kill-server'], { stdio: 'ignore' });
      } catch {
        /* already gone */
      }
    }
  });

  it('daemon status, and start when one runs', async () => {
    const status = await home.json(['daemon', 'status']);
    expect(status).toMatchObject({ running: true, pid: home.daemonPid(), home: home.dir });
    for (const k of ['socket', 'startedAt', 'version']) expect(status).toHaveProperty(k);
    expect((await home.cli(['daemon', 'status'])).stdout).toMatch(/^running pid \d+/);
    const again = await home.cli(['daemon', 'start']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/DAEMON_RUNNING/);
  });
});
