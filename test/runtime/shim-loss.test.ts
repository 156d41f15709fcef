/** What a supervisor learns without an exit record: a lost shim (from /proc) and the shim's own status. */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { identityOf } from '../../src/runtime/proc.js';
import { detectShimLoss, exitFromShimStatus, shimLostExit } from '../../src/runtime/shim-loss.js';

const AT = '2026-01-01T00:00:00.000Z';
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

describe('detectShimLoss', () => {
  it('is silent while the child is under its shim, and reports the evidence once it is under another parent', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.push(child.pid!);
    const identity = (await identityOf(child.pid!))!;
    // We are this child's parent, so "our pid as the shim" is the healthy case.
    expect(await detectShimLoss(identity, process.pid, AT)).toBeUndefined();
    const lost = await detectShimLoss(identity, 999_999_999, AT, { signal: 'SIGKILL' });
    expect(lost).toEqual({
      shimPid: 999_999_999,
      childPid: child.pid,
      evidence: { shimState: 'gone', childPpid: process.pid, checkedAt: AT, shimExit: 'killed by SIGKILL' },
    });
  });

  it('says nothing about a process that is not the child any more (other start time)', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.push(child.pid!);
    const identity = (await identityOf(child.pid!))!;
    expect(await detectShimLoss({ ...identity, startTime: '1' }, 999_999_999, AT)).toBeUndefined();
  });
});

describe('exitFromShimStatus and shimLostExit', () => {
  it('the shim mirrors its child: an exit code is the code, a signal is the signal, each with evidence', () => {
    expect(exitFromShimStatus({ exitCode: 9 }, 42, AT)).toMatchObject({
      exitCode: 9,
      signal: null,
      exitedAt: null,
      fallback: {
        kind: 'shim-exit-status',
        evidence: { reason: 'shim-exit-status', exitRecord: 'missing', shim: { pid: 42, exitCode: 9, signal: null } },
      },
    });
    expect(exitFromShimStatus({ signal: 'SIGTERM' }, 42, AT)).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
    expect(exitFromShimStatus({}, 42, AT)).toBeUndefined();
  });

  it("a lost shim's child ends with both codes null and the loss as evidence", () => {
    const exit = shimLostExit({ shimPid: 1, childPid: 2, evidence: { shimState: 'gone' } }, AT);
    expect(exit).toEqual({
      exitCode: null,
      signal: null,
      exitedAt: AT,
      fallback: { kind: 'shim-lost', evidence: { shimState: 'gone', childGoneAt: AT } },
    });
  });
});
