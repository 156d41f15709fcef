/**
 * Start-up verification resumes after the last verified point, starts over
 * when that point no longer names the same record, and keeps a failure as a
 * warning until a later verification passes. Real LevelDB; no daemon needed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/daemon/logger.js';
import { verifyOnStart } from '../../src/daemon/start-verify.js';
import { readVerifiedMark, recordFullVerify, verificationWarning, writeVerifiedMark } from '../../src/daemon/verified-mark.js';
import { openLedger } from '../../src/store/level-store.js';
import { editRecordText, seedCompletedRuns } from '../support/ledger-tamper.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'rl-sv-'));
  homes.push(home);
  return home;
}

/** Run verifyOnStart on the home's ledger; returns the warning and what it logged. */
async function startOnce(home: string) {
  const lines: string[] = [];
  const store = await openLedger({ dir: join(home, 'ledger') });
  try {
    const warning = await verifyOnStart(
      store,
      home,
      createLogger((l) => lines.push(l)),
    );
    return { warning, log: lines.join('') };
  } finally {
    await store.close();
  }
}

describe('verifyOnStart', () => {
  it('verifies everything once, then only what was appended since', async () => {
    const home = newHome();
    await seedCompletedRuns(join(home, 'ledger'), 2);
    expect(await startOnce(home)).toMatchObject({ warning: undefined, log: expect.stringContaining('"from":1,"to":8,"checked":8') });
    expect(readVerifiedMark(home)).toMatchObject({ position: 8 });
    await seedCompletedRuns(join(home, 'ledger'), 1, 2);
    expect((await startOnce(home)).log).toContain('"from":9,"to":12,"checked":4');
    expect((await startOnce(home)).log).toContain('"from":13,"to":12,"checked":0');
  });

  it('starts over when the marked record is not the one verified (a ledger replaced underneath)', async () => {
    const home = newHome();
    await seedCompletedRuns(join(home, 'ledger'), 2);
    await startOnce(home);
    writeVerifiedMark(home, { ...readVerifiedMark(home)!, hash: 'f'.repeat(64) });
    expect((await startOnce(home)).log).toContain('"from":1,');
  });

  it('a failure is a warning naming the position, kept until a verification passes', async () => {
    const home = newHome();
    const ledger = join(home, 'ledger');
    await seedCompletedRuns(ledger, 1);
    await startOnce(home);
    await seedCompletedRuns(ledger, 1, 1);
    const original = await (async () => {
      let text = '';
      await editRecordText(ledger, 6, (json) => ((text = json), json.replace('"pid":4000001', '"pid":4000005')));
      return text;
    })();
    const failed = await startOnce(home);
    expect(failed.warning).toMatchObject({ code: 'VERIFY_FAILED', position: 6 });
    expect(failed.warning!.message).toMatch(/runledger verify.*runledger salvage/);
    expect(verificationWarning(readVerifiedMark(home))).toEqual(failed.warning);
    // Still failing on the next start (verified in full again).
    expect((await startOnce(home)).warning).toMatchObject({ position: 6 });
    // Once the damage is gone (here: the edit undone), the next start clears it.
    await editRecordText(ledger, 6, () => original);
    expect(await startOnce(home)).toMatchObject({ warning: undefined, log: expect.stringContaining('"from":1,"to":8') });
    expect(readVerifiedMark(home)?.failed).toBeUndefined();
  });

  it('a full verify records its verdict; passOnly (the daemon, racing appends) only ever clears', () => {
    const home = newHome();
    const head = { position: 9, hash: 'a'.repeat(64) };
    const bad = { ok: false, firstBad: { position: 4, reason: 'edited' } };
    recordFullVerify(home, bad, head, { passOnly: true });
    expect(readVerifiedMark(home)).toBeUndefined();
    recordFullVerify(home, bad, head);
    expect(verificationWarning(readVerifiedMark(home))).toMatchObject({ code: 'VERIFY_FAILED', position: 4 });
    recordFullVerify(home, { ok: true }, head, { passOnly: true });
    expect(readVerifiedMark(home)).toMatchObject({ position: 9, hash: head.hash });
    expect(readVerifiedMark(home)?.failed).toBeUndefined();
  });
});
