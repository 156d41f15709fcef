import { describe, expect, it } from 'vitest';
import { validateNewEvent } from '../../src/events/validate.js';
import { decideSalvage } from '../../src/recovery/decide-salvage.js';

const findings = {
  stoppedAt: 5,
  reason: 'hash does not match',
  kept: 4,
  leftBehind: 10,
  previousHead: 14,
  movedTo: '/h/ledger.damaged-x',
  checkpointsMovedTo: null,
};

describe('decideSalvage', () => {
  it('records the evidence as one valid LedgerSalvaged event', () => {
    const events = decideSalvage(findings);
    expect(events).toEqual([{ type: 'LedgerSalvaged', data: findings }]);
    expect(() => validateNewEvent(events[0]!)).not.toThrow();
  });

  it('refuses findings that contradict themselves', () => {
    expect(() => decideSalvage({ ...findings, stoppedAt: 7 })).toThrow(TypeError);
  });
});
