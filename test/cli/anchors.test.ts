/**
 * Tamper evidence through the real CLI: a daemon writes the ledger and its
 * signed checkpoints, then the ledger is tampered with as an attacker or a bad
 * backup would (whole-directory rollback, tail cut with a rewritten head,
 * edit-and-rehash, a cut-short export), and `runledger verify` must fail with
 * a stable code naming the position.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashEvent, type UnhashedEnvelope } from '../../src/events/hash.js';
import { Home } from './helpers.js';

// Several daemon starts and runs per test on a shared 2-core machine: generous, it only bounds a hang.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

let home: Home;
beforeEach(() => {
  home = new Home();
});
afterEach(async () => {
  await home.cleanup();
});

/** A few finished runs, then the daemon stops (which writes the final checkpoint). */
async function recordRuns(h: Home, n: number): Promise<void> {
  for (let i = 0; i < n; i++) expect((await h.cli(['run', '--wait', '--', process.execPath, '-e', `console.log(${i})`])).code).toBe(0);
  expect((await h.cli(['daemon', 'stop'])).code).toBe(0);
}

const logKey = (p: number) => `!log!${String(p).padStart(16, '0')}`;

/** Edit the stored ledger directly, as someone with the user's account could. */
async function withDb(h: Home, edit: (db: ClassicLevel<string, string>) => Promise<void>): Promise<void> {
  const db = new ClassicLevel<string, string>(join(h.dir, 'ledger'), { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  try {
    await edit(db);
  } finally {
    await db.close();
  }
}

async function headOf(db: ClassicLevel<string, string>): Promise<{ position: number; hash: string }> {
  return JSON.parse((await db.get('!meta!head'))!);
}

describe('verify against checkpoints outside the ledger', () => {
  it('a ledger directory rolled back to an older copy fails with LEDGER_ROLLED_BACK naming the position', async () => {
    await recordRuns(home, 1);
    const older = join(home.dir, 'older-copy');
    cpSync(join(home.dir, 'ledger'), older, { recursive: true });
    const before = await home.json(['verify']);
    await recordRuns(home, 1);
    const after = await home.json(['verify']);
    expect(after.head.position).toBeGreaterThan(before.head.position);
    rmSync(join(home.dir, 'ledger'), { recursive: true });
    cpSync(older, join(home.dir, 'ledger'), { recursive: true });

    const human = await home.cli(['verify']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/LEDGER_ROLLED_BACK/);
    const r = await home.cli(['--json', 'verify']);
    const v = JSON.parse(r.stdout);
    expect(v).toMatchObject({ ok: false, code: 'LEDGER_ROLLED_BACK', head: { position: before.head.position } });
    expect(v.firstBad.position).toBeGreaterThan(before.head.position);
    expect(v.firstBad.position).toBeLessThanOrEqual(after.head.position);
    expect(human.stdout).toContain(`position ${v.firstBad.position}`);
  });

  it('a tail cut off with meta.head rewritten fails', async () => {
    await recordRuns(home, 1);
    const full = await home.json(['verify']);
    await withDb(home, async (db) => {
      const head = await headOf(db);
      // The last record is SupervisorStopped, a single-event append: remove it and every index entry that names it.
      const last = JSON.parse((await db.get(logKey(head.position)))!);
      const prev = JSON.parse((await db.get(logKey(head.position - 1)))!);
      await db.batch([
        { type: 'del', key: logKey(head.position) },
        { type: 'del', key: `!ids!${last.id}` },
        { type: 'del', key: `!streams!${last.streamId}\x00${String(last.streamVersion).padStart(16, '0')}` },
        { type: 'put', key: '!meta!head', value: JSON.stringify({ position: prev.position, hash: prev.hash }) },
      ]);
    });
    const v = JSON.parse((await home.cli(['--json', 'verify'])).stdout);
    expect(v).toMatchObject({
      ok: false,
      code: 'LEDGER_ROLLED_BACK',
      head: { position: full.head.position - 1 },
      firstBad: { position: full.head.position },
    });
  });

  it('an edited record with every later hash recomputed fails with ANCHOR_MISMATCH', async () => {
    await recordRuns(home, 1);
    await withDb(home, async (db) => {
      const head = await headOf(db);
      let prevHash = '';
      const ops: { type: 'put'; key: string; value: string }[] = [];
      for (let p = 1; p <= head.position; p++) {
        const e = JSON.parse((await db.get(logKey(p)))!);
        if (p === 1) e.data.hostname = 'somewhere-else';
        if (p > 1) e.prevHash = prevHash;
        if (p === 1 || p > 1) e.hash = hashEvent(e as UnhashedEnvelope);
        prevHash = e.hash;
        ops.push({ type: 'put', key: logKey(p), value: JSON.stringify(e) });
      }
      ops.push({ type: 'put', key: '!meta!head', value: JSON.stringify({ position: head.position, hash: prevHash }) });
      await db.batch(ops);
    });
    const r = await home.cli(['--json', 'verify']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, code: 'ANCHOR_MISMATCH', firstBad: { position: expect.any(Number) } });
  });

  it('a checkpoint line with a forged signature is reported', async () => {
    await recordRuns(home, 1);
    const file = join(home.dir, 'checkpoints.ndjson');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const last = JSON.parse(lines.at(-1)!);
    writeFileSync(file, [...lines, JSON.stringify({ ...last, position: last.position - 1 })].join('\n') + '\n');
    const v = JSON.parse((await home.cli(['--json', 'verify'])).stdout);
    expect(v).toMatchObject({ ok: false, code: 'ANCHOR_BAD_SIGNATURE', firstBad: { position: last.position - 1 } });
  });

  it('the checkpoint file can live elsewhere ($RUNLEDGER_CHECKPOINTS); the key is 0600 in the home', async () => {
    const elsewhere = join(home.dir, 'other-disk', 'anchors.ndjson');
    const env = { RUNLEDGER_CHECKPOINTS: elsewhere };
    for (let i = 0; i < 1; i++) expect((await home.cli(['run', '--wait', '--', 'true'], { env })).code).toBe(0);
    expect((await home.cli(['daemon', 'stop'], { env })).code).toBe(0);
    expect(existsSync(elsewhere)).toBe(true);
    expect(existsSync(join(home.dir, 'checkpoints.ndjson'))).toBe(false);
    const v = JSON.parse((await home.cli(['--json', 'verify'], { env })).stdout);
    expect(v).toMatchObject({ ok: true, anchors: { file: elsewhere, checked: expect.any(Number) } });
    expect(v.anchors.checked).toBeGreaterThan(0);
    const { statSync } = await import('node:fs');
    expect(statSync(join(home.dir, 'anchor-key.pem')).mode & 0o777).toBe(0o600);
  });
});

describe('verify --anchor', () => {
  it('--json reports the head; --anchor checks a kept anchor; bad syntax is a usage error', async () => {
    await recordRuns(home, 1);
    const v = await home.json(['verify']);
    expect(v.head).toEqual({ position: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const anchor = `${v.head.position}:${v.head.hash}`;
    expect(await home.json(['verify', '--anchor', anchor])).toMatchObject({ ok: true });
    const wrong = await home.cli(['--json', 'verify', '--anchor', `${v.head.position}:${'0'.repeat(64)}`]);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, code: 'ANCHOR_MISMATCH', firstBad: { position: v.head.position } });
    const beyond = await home.cli(['--json', 'verify', '--anchor', `${v.head.position + 5}:${v.head.hash}`]);
    expect(JSON.parse(beyond.stdout)).toMatchObject({ ok: false, code: 'LEDGER_ROLLED_BACK', firstBad: { position: v.head.position + 5 } });
    const bad = await home.cli(['verify', '--anchor', 'twelve']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error \[USAGE\]: --anchor.*POSITION:HASH/);
  });
});

describe('export trailer and verify --file', () => {
  it('a full export verifies; one cut short fails with EXPORT_TRUNCATED', async () => {
    await recordRuns(home, 2);
    const text = (await home.cli(['export'])).stdout;
    const lines = text.trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ runledgerExportTrailer: 1, position: lines.length - 1 });
    const file = join(home.dir, 'export.ndjson');
    writeFileSync(file, text);
    expect(await home.json(['verify', '--file', file])).toMatchObject({ ok: true, source: 'file', checked: lines.length - 1 });
    expect(lines.length).toBeGreaterThan(10);
    const cut = join(home.dir, 'cut.ndjson');
    writeFileSync(cut, lines.slice(0, 9).join('\n') + '\n');
    const r = await home.cli(['--json', 'verify', '--file', cut]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, code: 'EXPORT_TRUNCATED', firstBad: { position: 10 } });
    expect((await home.cli(['verify', '--file', cut])).stdout).toMatch(/EXPORT_TRUNCATED.*after line 9/);
    const missing = await home.cli(['verify', '--file', join(home.dir, 'nope.ndjson')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/error \[/);
  });
});

describe('import', () => {
  it('an export round-trips into a new home; a non-empty ledger is refused', async () => {
    await recordRuns(home, 1);
    const file = join(home.dir, 'export.ndjson');
    writeFileSync(file, (await home.cli(['export'])).stdout);
    const source = await home.json(['verify']);
    const target = new Home();
    try {
      const imported = await target.json(['import', file]);
      expect(imported).toMatchObject({ imported: source.head.position, head: source.head });
      expect(await target.json(['verify'])).toMatchObject({ ok: true, head: source.head });
      expect((await target.cli(['events', '--json'])).stdout).toBe((await home.cli(['events', '--json'])).stdout);
      const again = await target.cli(['import', file]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/LEDGER_NOT_EMPTY/);
      // The imported ledger takes new runs.
      expect((await target.cli(['run', '--wait', '--', 'true'])).code).toBe(0);
    } finally {
      await target.cleanup();
    }
  });
});

describe('salvage', () => {
  it('moves a damaged ledger aside, keeps the verified prefix, records LedgerSalvaged; then verify passes and runs start', async () => {
    await recordRuns(home, 2);
    const before = await home.json(['verify']);
    const bad = 5;
    await withDb(home, async (db) => {
      const e = JSON.parse((await db.get(logKey(bad)))!);
      e.data = { ...e.data, tampered: true };
      await db.put(logKey(bad), JSON.stringify(e));
    });
    expect((await home.cli(['verify'])).code).toBe(1);
    const r = await home.json(['salvage']);
    expect(r).toMatchObject({ kept: bad - 1, stoppedAt: bad, leftBehind: before.head.position - bad + 1 });
    expect(existsSync(r.movedTo)).toBe(true);
    expect(readdirSync(home.dir).some((n) => n.startsWith('ledger.damaged-'))).toBe(true);
    const v = await home.json(['verify']);
    expect(v).toMatchObject({ ok: true, head: { position: bad } });
    const events = (await home.cli(['events', '--json', '--type', 'LedgerSalvaged'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      streamId: 'supervisor',
      position: bad,
      data: { stoppedAt: bad, kept: bad - 1, leftBehind: before.head.position - bad + 1, movedTo: r.movedTo },
    });
    expect(events[0].data.reason).toMatch(/hash/);
    expect((await home.cli(['run', '--wait', '--', 'true'])).code).toBe(0);
    expect((await home.json(['verify'])).ok).toBe(true);
  });

  it('refuses while a daemon owns the ledger', async () => {
    await home.start(['--', 'sleep', '30']);
    const r = await home.cli(['salvage']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DAEMON_RUNNING.*daemon stop/);
  });
});

describe('import of a ledger whose runs are still alive elsewhere', () => {
  it("never adopts, nor signals, another home's live process: the run is stale", async () => {
    const live = await home.start(['--', 'sleep', '600']);
    const pid = live.attempts[0].pid as number;
    const file = join(home.dir, 'export.ndjson');
    writeFileSync(file, (await home.cli(['export'])).stdout);
    const target = new Home();
    try {
      expect((await target.cli(['import', file])).code).toBe(0);
      // The target's daemon reconciles when it starts: the process is alive, but no attempt of it was spawned here.
      await target.json(['reconcile']);
      const shown = await target.json(['show', live.id]);
      expect(shown.run).toMatchObject({ status: 'stale' });
      expect(shown.run.reason).toMatch(/never spawned it/);
      await target.cli(['stop', live.id]);
      expect(isAlive(pid)).toBe(true);
      // The home that started it still supervises it.
      expect((await home.json(['show', live.id])).run.status).toBe('running');
    } finally {
      await target.cleanup();
    }
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
