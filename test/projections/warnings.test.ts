/** Warnings from skipped records, merged once each. */
import { describe, expect, it } from 'vitest';
import { mergeWarnings, skippedWarnings, withWarnings } from '../../src/projections/warnings.js';

describe('skippedWarnings', () => {
  it('names the position, and says what to do for a newer record or for damage', () => {
    const [newer, bad] = skippedWarnings({
      skipped: [
        { position: 6, code: 'LEDGER_TOO_NEW', message: 'stored event at position 6: event type "X" was written by a newer runledger' },
        { position: 9, code: 'CORRUPT_LEDGER', message: 'stored event at position 9 is not valid JSON' },
      ],
    });
    expect(newer).toMatchObject({ code: 'LEDGER_TOO_NEW', position: 6 });
    expect(newer!.message).toMatch(/position 6.*upgrade runledger/);
    expect(bad).toMatchObject({ code: 'CORRUPT_LEDGER', position: 9 });
    expect(bad!.message).toMatch(/position 9.*runledger verify/);
  });
});

describe('mergeWarnings / withWarnings', () => {
  it('keeps the first of each message, in order', () => {
    const a = { code: 'A', message: 'one' };
    const b = { code: 'B', message: 'two', position: 2 };
    expect(mergeWarnings([a, b], undefined, [{ ...a }], [b])).toEqual([a, b]);
    expect(mergeWarnings()).toEqual([]);
  });

  it('adds `warnings` only when there are some', () => {
    expect(withWarnings([])).toEqual({});
    expect(withWarnings([{ code: 'A', message: 'one' }])).toEqual({ warnings: [{ code: 'A', message: 'one' }] });
  });
});
