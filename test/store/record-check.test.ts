/** verify's per-record rules, on single records. */
import { describe, expect, it } from 'vitest';
import { checkDecodes, checkStoredFields } from '../../src/store/record-check.js';

const record = {
  position: 3,
  streamId: 'supervisor',
  streamVersion: 1,
  id: '01J8Z3R0000000000000000000',
  type: 'SupervisorStarted',
  data: { supervisorId: 's', pid: 1, version: '1', bootId: 'b', hostname: 'h' },
  time: '2025-01-01T00:00:00.000Z',
  schemaVersion: 1,
  prevHash: '0'.repeat(64),
  hash: '1'.repeat(64),
};

describe('checkStoredFields', () => {
  it('accepts a written record, with or without the optional ids', () => {
    expect(checkStoredFields(3, record)).toBeUndefined();
    expect(checkStoredFields(3, { ...record, causationId: 'c', correlationId: 'k' })).toBeUndefined();
  });

  it('names every field outside the envelope', () => {
    expect(checkStoredFields(3, { ...record, b: 1, a: 2 })).toMatchObject({
      position: 3,
      code: 'CORRUPT_LEDGER',
      details: { fields: ['a', 'b'] },
    });
  });

  it('refuses a null or numeric causationId/correlationId', () => {
    expect(checkStoredFields(3, { ...record, causationId: null })).toMatchObject({ code: 'CORRUPT_LEDGER' });
    expect(checkStoredFields(3, { ...record, correlationId: 7 })).toMatchObject({ code: 'CORRUPT_LEDGER' });
  });
});

describe('checkDecodes', () => {
  it('accepts what decodes, including an old schemaVersion it can upcast', () => {
    expect(checkDecodes(3, record, {})).toBeUndefined();
    const exited = { ...record, type: 'ProcessExited', schemaVersion: 1, data: { attempt: 1, code: 0, signal: null } };
    expect(checkDecodes(3, exited, {})).toBeUndefined();
  });

  it('an unknown type or a newer schemaVersion is LEDGER_TOO_NEW with the facts', () => {
    expect(checkDecodes(3, { ...record, type: 'Later' }, {})).toMatchObject({ code: 'LEDGER_TOO_NEW', details: { type: 'Later' } });
    expect(checkDecodes(3, { ...record, schemaVersion: 2 }, {})).toMatchObject({
      code: 'LEDGER_TOO_NEW',
      details: { type: 'SupervisorStarted', schemaVersion: 2 },
    });
  });

  it('a payload that does not validate is CORRUPT_LEDGER naming the field', () => {
    const bad = checkDecodes(3, { ...record, data: { ...record.data, pid: 'x' } }, {});
    expect(bad).toMatchObject({ position: 3, code: 'CORRUPT_LEDGER' });
    expect(bad!.reason).toContain('/pid');
  });
});
