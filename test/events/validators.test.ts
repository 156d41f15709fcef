import { readFileSync } from 'node:fs';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateValidatorsModule } from '../../src/events/codegen.js';
import { EVENT_TYPES } from '../../src/events/constants.js';
import { EventDataSchemas, type EventType } from '../../src/events/schemas.js';
import { assertValidEvent } from '../../src/events/validate.js';
import { isRunledgerError } from '../../src/errors.js';
import { ledgerEventsArb } from '../support/arbitraries.js';

describe('generated validators', () => {
  it('are up to date with the schemas (run `npm run gen:validators` after changing a schema)', () => {
    const committed = readFileSync(new URL('../../src/events/validators.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(generateValidatorsModule(EventDataSchemas));
  });

  it('list the same event types as the schemas', () => {
    expect([...EVENT_TYPES]).toEqual(Object.keys(EventDataSchemas));
  });

  it('accept exactly what TypeBox accepts, on valid events and on mangled ones', () => {
    const compiled = Object.fromEntries(Object.entries(EventDataSchemas).map(([t, s]) => [t, TypeCompiler.Compile(s)]));
    const accepts = (type: string, data: unknown): boolean => {
      try {
        assertValidEvent(type, data);
        return true;
      } catch (err) {
        if (!isRunledgerError(err, 'INVALID_EVENT')) throw err;
        return false;
      }
    };
    const mangle = fc.oneof(fc.constant(null), fc.string(), fc.integer({ min: -2, max: 2 }), fc.constant({}), fc.constant(['x']));
    fc.assert(
      fc.property(ledgerEventsArb({ maxRuns: 2 }), fc.nat(), mangle, (events, pick, bad) => {
        for (const e of events) expect(accepts(e.type, e.data)).toBe(true);
        const e = events[pick % events.length]!;
        const keys = Object.keys(e.data as object);
        const broken = keys.length ? { ...(e.data as object), [keys[pick % keys.length]!]: bad } : bad;
        expect(accepts(e.type, broken)).toBe(compiled[e.type as EventType]!.Check(broken));
      }),
      { numRuns: 200 },
    );
  });

  it('name the first wrong field without TypeBox', () => {
    expect(() => assertValidEvent('ProcessExited', { attempt: 1, exitCode: 'x', signal: null })).toThrow(
      /ProcessExited \/exitCode: invalid value "x"/,
    );
    expect(() => assertValidEvent('ProcessExited', { attempt: 1, signal: null })).toThrow(/\/exitCode: is required/);
    expect(() => assertValidEvent('ProcessExited', 7)).toThrow(/\/: expected an object/);
  });
});
