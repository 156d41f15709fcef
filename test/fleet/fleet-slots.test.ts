import { describe, expect, it } from 'vitest';
import { checkFleetSlots, declaredFleetSlot, fleetLeaseReason } from '../../src/fleet/fleet-slots.js';

describe('checkFleetSlots: fleet.slots as written in a config', () => {
  it('takes a list of names and patterns; no fleet entry or no slots declares nothing', () => {
    expect(checkFleetSlots({ slots: ['gpu0', 'phone-*'] })).toEqual(['gpu0', 'phone-*']);
    expect(checkFleetSlots(undefined)).toEqual([]);
    expect(checkFleetSlots({})).toEqual([]);
  });

  it('names the first wrong entry by its path', () => {
    expect(() => checkFleetSlots(['gpu0'])).toThrow(/^fleet: expected an object/);
    expect(() => checkFleetSlots({ slot: ['gpu0'] })).toThrow(/^fleet\.slot: unknown setting/);
    expect(() => checkFleetSlots({ slots: 'gpu0' })).toThrow(/^fleet\.slots: expected a list/);
    expect(() => checkFleetSlots({ slots: ['gpu0', ' '] })).toThrow(/^fleet\.slots\[1\]: expected a slot name or pattern/);
    expect(() => checkFleetSlots({ slots: ['gpu0', 7] })).toThrow(/^fleet\.slots\[1\]/);
  });
});

describe('declaredFleetSlot: names match exactly, * stands for any run of characters', () => {
  const declared = ['phone-7', 'gpu*', '*-shared-*'];
  it.each([
    ['phone-7', 'phone-7'],
    ['gpu0', 'gpu*'],
    ['gpu', 'gpu*'],
    ['gpu-big.1', 'gpu*'],
    ['lab-shared-3', '*-shared-*'],
  ])('%s is declared by %s', (slot, by) => expect(declaredFleetSlot(declared, slot)).toBe(by));

  it.each(['phone-70', 'phone-', 'xgpu0', 'lab-shared', 'GPU0'])('%s is not declared', (slot) =>
    expect(declaredFleetSlot(declared, slot)).toBeUndefined(),
  );

  it('takes every other character literally', () => {
    expect(declaredFleetSlot(['a.b', 'r[0-9]', 'x?'], 'axb')).toBeUndefined();
    expect(declaredFleetSlot(['a.b', 'r[0-9]', 'x?'], 'r5')).toBeUndefined();
    expect(declaredFleetSlot(['a.b', 'r[0-9]', 'x?'], 'r[0-9]')).toBe('r[0-9]');
    expect(declaredFleetSlot(['*'], 'any slot at all')).toBe('*');
  });
});

describe('fleetLeaseReason: whether a start holds a fleet lease, and why', () => {
  it('--fleet, else the declaring entry, else none; no slot never leases', () => {
    expect(fleetLeaseReason('gpu0', true, [])).toBe('--fleet');
    expect(fleetLeaseReason('gpu0', false, ['gpu*'])).toBe('fleet.slots "gpu*"');
    expect(fleetLeaseReason('cpu0', false, ['gpu*'])).toBeUndefined();
    expect(fleetLeaseReason(undefined, false, ['*'])).toBeUndefined();
    expect(fleetLeaseReason('', false, ['*'])).toBeUndefined();
  });
});
