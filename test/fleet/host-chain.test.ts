import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/events/envelope.js';
import { hashEvent, type UnhashedEnvelope } from '../../src/events/hash.js';
import { checkHostChainStep } from '../../src/fleet/host-chain.js';

function record(position: number, prevHash: string, pid = position): { json: string; hash: string } {
  const unhashed = {
    position,
    streamId: 'supervisor',
    streamVersion: position,
    id: `01J${String(position).padStart(23, '0')}`,
    type: 'SupervisorStarted',
    data: { supervisorId: 's', pid, version: '1', bootId: 'b', hostname: 'h' },
    time: '2026-11-30T00:00:00.000Z',
    schemaVersion: 1,
    prevHash,
  };
  const hash = hashEvent(unhashed as unknown as UnhashedEnvelope);
  return { json: JSON.stringify({ ...unhashed, hash }), hash };
}

describe('checkHostChainStep', () => {
  const first = record(1, GENESIS_HASH);
  const second = record(2, first.hash);
  const row = (r: { json: string }, localPosition: number, fleetJson = r.json) => ({ localPosition, localJson: r.json, fleetJson });

  it('accepts a record that hashes and links, and returns its hash', () => {
    expect(checkHostChainStep({ position: 0, hash: GENESIS_HASH }, row(first, 1))).toEqual({ hash: first.hash });
    expect(checkHostChainStep({ position: 1, hash: first.hash }, row(second, 2))).toEqual({ hash: second.hash });
  });
  it('finds a hole, a broken link, an edit, and a fleet record of another event', () => {
    expect(checkHostChainStep({ position: 0, hash: GENESIS_HASH }, row(second, 2))).toMatchObject({ reason: /expected local position 1/ });
    expect(checkHostChainStep({ position: 1, hash: 'f'.repeat(64) }, row(second, 2))).toMatchObject({ reason: /prevHash/ });
    const edited = { json: second.json.replace('"pid":2', '"pid":3') };
    expect(checkHostChainStep({ position: 1, hash: first.hash }, row(edited, 2))).toMatchObject({ reason: /does not match its hash/ });
    expect(checkHostChainStep({ position: 1, hash: first.hash }, row(second, 2, first.json))).toMatchObject({ reason: /not this event/ });
  });
});
