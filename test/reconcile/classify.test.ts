/** classifyAttempt: what reconcile concludes from what the machine says (pure). */
import { describe, expect, it } from 'vitest';
import { classifyAttempt } from '../../src/reconcile/classify.js';
import { given, requested, spawned } from '../supervisor/given.js';

const AT = '2026-01-01T00:01:00.000Z';
const gone = { state: 'gone', observed: { pid: 101, zombie: false } } as const;

describe('classifyAttempt', () => {
  it('a process gone without a record is unknown: "no exit record"', () => {
    const a = given(requested(), spawned()).attempts[0]!;
    expect(classifyAttempt(a, gone, AT)).toMatchObject({ kind: 'unknown', reason: 'process gone and left no exit record', evidence: { reason: 'gone-no-exit-record' } });
  });

  it('after ShimLost, the same finding says the code is unknown because the shim was lost', () => {
    const lost = { type: 'ShimLost', data: { attempt: 1, shimPid: 99, childPid: 101, evidence: { shimState: 'gone' } } } as const;
    const a = given(requested(), spawned(), lost).attempts[0]!;
    expect(classifyAttempt(a, gone, AT)).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('code unknown (shim lost)'), evidence: { reason: 'gone-after-shim-lost' } });
  });

  it('with almost no free space where the record belongs, the finding says the disk is full and shows the space', () => {
    const a = given(requested(), spawned()).attempts[0]!;
    const full = classifyAttempt(a, { ...gone, recordSpace: { freeBytes: 0, placeholderLeft: false } }, AT);
    expect(full).toMatchObject({ kind: 'unknown', reason: 'process gone and left no exit record; its disk is full (0 bytes free)', evidence: { recordSpace: { freeBytes: 0 } } });
    const roomy = classifyAttempt(a, { ...gone, recordSpace: { freeBytes: 10 ** 9, placeholderLeft: true } }, AT);
    expect(roomy).toMatchObject({ reason: 'process gone and left no exit record', evidence: { recordSpace: { placeholderLeft: true } } });
  });

  it('a recorded exit is recovered with the shim\'s exitedAt', () => {
    const a = given(requested(), spawned()).attempts[0]!;
    const exit = { exitCode: 7, signal: null, exitedAt: '2026-01-01T00:00:30.000Z' };
    expect(classifyAttempt(a, { ...gone, exit }, AT)).toMatchObject({ kind: 'recovered', exitCode: 7, exitedAt: exit.exitedAt });
  });
});
