/** The fast encoder must produce exactly what events/hash.ts defines, for any event. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashEvent } from '../../src/events/hash.js';
import { encodeEnvelope } from '../../src/store/encode.js';

const event = fc.record(
  {
    id: fc.constant('01J8Z3R0000000000000000001'),
    type: fc.constantFrom('SupervisorStarted', 'ProcessExited', 'Checkpointed'),
    data: fc.jsonValue().map((checkpoint) => ({ attempt: 1, checkpoint, 'quo"te': 'line\nbreak \u2028 \ud83d\ude00', 10: -0 })),
    time: fc.string(),
    schemaVersion: fc.integer({ min: 1, max: 3 }),
    causationId: fc.string(),
    correlationId: fc.string(),
  },
  { requiredKeys: ['id', 'type', 'data', 'time', 'schemaVersion'] },
);

describe('encodeEnvelope', () => {
  it('hashes and stores exactly like hashEvent + JSON.stringify', () => {
    fc.assert(
      fc.property(
        event,
        fc.nat(),
        fc.string({ maxLength: 200 }),
        fc.nat(),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        (e, position, streamId, version, prevHash) => {
          const { envelope, json } = encodeEnvelope(position, streamId, version, e, prevHash);
          const stored = JSON.parse(json);
          expect(hashEvent(stored)).toBe(envelope.hash);
          expect(hashEvent(envelope)).toBe(envelope.hash);
          expect(stored).toEqual(JSON.parse(JSON.stringify(envelope)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
