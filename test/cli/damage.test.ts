/**
 * A ledger you can read after damage (issue 10): snapshots are checked
 * against the log before they are believed, a record the CLI cannot decode
 * is skipped with a warning naming its position (LEDGER_TOO_NEW when a newer
 * runledger wrote it), and a failed start-up verification is shown on every
 * read command. Real LevelDB, the built CLI, real daemons; tampering through
 * a second LevelDB handle on a closed ledger.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  editAndRechain,
  editRecordText,
  editSnapshotText,
  readSnapshotText,
  seedCompletedRuns,
  withRawLedger,
} from '../support/ledger-tamper.js';
import { Home, waitUntil } from './helpers.js';

// Each test runs a few CLI processes and daemons; generous on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });

const homes: Home[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

async function seededHome(runs: number): Promise<{ home: Home; ledger: string; ids: string[] }> {
  const home = new Home();
  homes.push(home);
  const ledger = join(home.dir, 'ledger');
  const ids = await seedCompletedRuns(ledger, runs);
  return { home, ledger, ids };
}

/** A daemon that starts and stops leaves a snapshot of its whole fold in the ledger. */
async function snapshotByDaemon(home: Home): Promise<void> {
  expect((await home.cli(['daemon', 'start'])).code).toBe(0);
  expect((await home.cli(['daemon', 'stop'])).code).toBe(0);
}

/** What a naive tamperer does to the snapshot's text: every completed run failed with 137. */
const failEveryRun = (json: string) => json.replace(/completed/g, 'failed').replace(/(exitCode\\?":)0/g, '$1137');

const statuses = (list: { runs: { name: string; status: string; exitCode: number | null }[] }) =>
  Object.fromEntries(list.runs.map((r) => [r.name, `${r.status}/${r.exitCode}`]));

describe('snapshots are checked before they are believed', () => {
  it('an edited snapshot is never shown by ps or show (no daemon); the rebuild is said once', async () => {
    const { home, ledger, ids } = await seededHome(2);
    await snapshotByDaemon(home);
    await editSnapshotText(ledger, failEveryRun);

    const ps = await home.cli(['--json', 'ps', '--all']);
    expect(ps.code).toBe(0);
    expect(statuses(JSON.parse(ps.stdout))).toEqual({ 'job-1': 'completed/0', 'job-2': 'completed/0' });
    expect(ps.stderr).toMatch(/snapshot .*discarded/);
    const show = await home.json(['show', ids[0]!]);
    expect(show.run).toMatchObject({ status: 'completed', exitCode: 0 });
    // Said once: the rebuilt snapshot was written back and checks out.
    const again = await home.cli(['ps', '--all']);
    expect(again.stderr).toBe('');
    expect(again.stdout).not.toContain('failed');
  });

  it('an edited snapshot never reaches the daemon state', async () => {
    const { home, ledger, ids } = await seededHome(2);
    await snapshotByDaemon(home);
    await editSnapshotText(ledger, failEveryRun);
    expect((await home.cli(['daemon', 'start'])).code).toBe(0);
    const list = await home.json(['ps', '--all']);
    expect(list.source).toBe('daemon');
    expect(statuses(list)).toEqual({ 'job-1': 'completed/0', 'job-2': 'completed/0' });
    expect((await home.json(['show', ids[1]!])).run).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(readFileSync(join(home.dir, 'daemon.log'), 'utf8')).toMatch(/snapshot .*discarded/);
  });

  it('a snapshot that covers positions past the head is discarded', async () => {
    const longer = await seededHome(3);
    await snapshotByDaemon(longer.home);
    const snapshot = (await readSnapshotText(longer.ledger))!;
    const { home, ledger } = await seededHome(2);
    await withRawLedger(ledger, (db) => db.put('!snapshots!runs', snapshot));

    const ps = await home.cli(['--json', 'ps', '--all']);
    expect(ps.code).toBe(0);
    expect(JSON.parse(ps.stdout)).toMatchObject({ position: 8 });
    expect(statuses(JSON.parse(ps.stdout))).toEqual({ 'job-1': 'completed/0', 'job-2': 'completed/0' });
    expect(ps.stderr).toMatch(/snapshot .*discarded/);
  });
});

describe('a record that does not decode is skipped with a warning naming it', () => {
  const teleported = (rec: Record<string, unknown>) => ({ ...rec, type: 'ProcessTeleported' });

  it('ps, show, events and replay keep working (no daemon), with warnings in --json', async () => {
    const { home, ledger, ids } = await seededHome(3);
    // Position 6 is job-2's ProcessSpawned; the chain is kept, as a newer runledger would have written it.
    await editAndRechain(ledger, 6, teleported);

    const ps = await home.cli(['--json', 'ps', '--all']);
    expect(ps.code).toBe(0);
    const list = JSON.parse(ps.stdout);
    expect(list.runs.map((r: { name: string }) => r.name).sort()).toEqual(['job-1', 'job-2', 'job-3']);
    expect(list.runs.find((r: { name: string }) => r.name === 'job-3')).toMatchObject({ status: 'completed' });
    expect(list.warnings).toEqual([expect.objectContaining({ code: 'LEDGER_TOO_NEW', position: 6 })]);
    expect(ps.stderr).toContain('position 6');

    const human = await home.cli(['ps', '--all']);
    expect(human.code).toBe(0);
    expect(human.stderr).toMatch(/warning.*position 6/);

    const show = await home.cli(['--json', 'show', ids[1]!]);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout).warnings).toEqual([expect.objectContaining({ position: 6 })]);
    expect(JSON.parse(show.stdout).timeline.map((t: { type: string }) => t.type)).not.toContain('ProcessTeleported');

    const events = await home.cli(['--json', 'events']);
    expect(events.code).toBe(0);
    expect(
      events.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).position),
    ).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]);
    expect(events.stderr).toContain('position 6');

    const replay = await home.cli(['--json', 'replay', '--at', '4', '--all']);
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ position: 4, runs: [{ name: 'job-1', status: 'completed' }] });
  });

  it('a newer schemaVersion is LEDGER_TOO_NEW with the version, not corruption', async () => {
    const { home, ledger } = await seededHome(2);
    await editAndRechain(ledger, 7, (rec) => ({ ...rec, schemaVersion: 9 }));
    const ps = await home.cli(['--json', 'ps', '--all']);
    expect(ps.code).toBe(0);
    const [warning] = JSON.parse(ps.stdout).warnings;
    expect(warning).toMatchObject({ code: 'LEDGER_TOO_NEW', position: 7 });
    expect(warning.message).toContain('schemaVersion 9');
  });

  it('the daemon starts on such a ledger, serves what decodes and shows the warning', async () => {
    const { home, ledger, ids } = await seededHome(3);
    await editAndRechain(ledger, 6, teleported);
    const start = await home.cli(['daemon', 'start']);
    expect(start.code, start.stderr).toBe(0);
    const ps = await home.cli(['--json', 'ps', '--all']);
    expect(ps.code).toBe(0);
    const list = JSON.parse(ps.stdout);
    expect(list.source).toBe('daemon');
    expect(list.runs).toHaveLength(3);
    expect(list.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'LEDGER_TOO_NEW', position: 6 })]));
    const show = await home.cli(['--json', 'show', ids[1]!]);
    expect(show.code).toBe(0);
    const events = await home.cli(['--json', 'events']);
    expect(events.code).toBe(0);
    expect(
      events.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).position),
    ).not.toContain(6);
    expect(events.stderr).toContain('position 6');
    // Appending after the undecodable record keeps the chain: a run goes on. verify decodes every
    // record, so it names the one this runledger cannot read (LEDGER_TOO_NEW), not a broken chain.
    const ran = await home.json(['run', '--wait', '--', 'true']);
    home.track(ran.run);
    expect(ran.run).toMatchObject({ status: 'completed', exitCode: 0 });
    const verify = await home.cli(['--json', 'verify']);
    expect(verify.code).toBe(1);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: false, code: 'LEDGER_TOO_NEW', firstBad: { position: 6 } });
  });
});

describe('the daemon verifies the ledger when it starts', () => {
  it('a failed verification is a one-line warning on every read command, with or without the daemon', async () => {
    const { home, ledger, ids } = await seededHome(2);
    // The daemon verifies 1..8 (2 runs) before it appends its start, and records that.
    await snapshotByDaemon(home);
    await seedCompletedRuns(ledger, 1, 2);
    // An edit after the verified point that still decodes but breaks the chain at position 12 (job-3's spawn).
    let original = '';
    await editRecordText(ledger, 12, (json) => ((original = json), json.replace('"pid":4000002', '"pid":4000009')));
    expect((await home.cli(['daemon', 'start'])).code).toBe(0);
    let ps = await home.cli(['ps', '--all']);
    await waitUntil(async () => {
      ps = await home.cli(['ps', '--all']);
      return ps.stderr.includes('verif');
    }, 'the start-up verification warning');
    const lines = ps.stderr
      .trim()
      .split('\n')
      .filter((l) => l.includes('verif'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('position 12');
    expect(lines[0]).toContain('runledger verify');
    expect(lines[0]).toContain('runledger salvage');
    expect(JSON.parse((await home.cli(['--json', 'ps', '--all'])).stdout).warnings).toEqual([
      expect.objectContaining({ code: 'VERIFY_FAILED', position: 12 }),
    ]);
    expect((await home.cli(['show', ids[0]!])).stderr).toContain('runledger salvage');
    expect((await home.cli(['daemon', 'stop'])).code).toBe(0);
    // Without a daemon the warning stays until the damage is dealt with...
    expect((await home.cli(['ps', '--all'])).stderr).toContain('runledger salvage');
    // ...here by undoing the edit: a passing `runledger verify` clears it.
    await editRecordText(ledger, 12, () => original);
    expect((await home.json(['verify'])).ok).toBe(true);
    expect((await home.cli(['ps', '--all'])).stderr).toBe('');
  });

  it('a clean ledger gives no warning, and the next start verifies only the new tail', async () => {
    const { home } = await seededHome(2);
    await snapshotByDaemon(home);
    const marker = () => JSON.parse(readFileSync(join(home.dir, 'verified.json'), 'utf8'));
    expect(marker()).toMatchObject({ position: 8, hash: expect.any(String) });
    expect(marker().failed).toBeUndefined();
    expect((await home.cli(['ps', '--all'])).stderr).toBe('');
    await snapshotByDaemon(home);
    expect(marker()).toMatchObject({ position: 10 });
    const log = readFileSync(join(home.dir, 'daemon.log'), 'utf8');
    // The second start checked only what the first daemon appended after the mark (its start and stop).
    expect(log).toMatch(/ledger verified \{"from":9,"to":10,"checked":2,/);
  });
});
