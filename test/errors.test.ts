import { describe, expect, it } from 'vitest';
import { isRunledgerError, RunledgerError, WrongExpectedVersionError } from '../src/errors.js';

describe('RunledgerError', () => {
  it('is recognised across copies of its module (the CLI bundle is two files, each with a copy)', async () => {
    // A query string makes vite load a second, separate instance of the module, as a second bundle would.
    const other = (await import('../src/errors.js?second-copy' as string)) as typeof import('../src/errors.js');
    expect(other.RunledgerError).not.toBe(RunledgerError);
    const fromOther = new other.RunledgerError('RUN_NOT_FOUND', 'no run matches x');
    expect(fromOther instanceof RunledgerError).toBe(true);
    expect(isRunledgerError(fromOther, 'RUN_NOT_FOUND')).toBe(true);
    expect(new RunledgerError('USAGE', 'u') instanceof other.RunledgerError).toBe(true);
  });

  it('is not claimed by other errors or look-alikes without the brand', () => {
    expect(new Error('x') instanceof RunledgerError).toBe(false);
    expect({ code: 'USAGE', message: 'x', name: 'RunledgerError' } instanceof RunledgerError).toBe(false);
    expect((null as unknown) instanceof RunledgerError).toBe(false);
  });

  it('keeps the prototype check for subclasses', () => {
    const wrong = new WrongExpectedVersionError('s', 1, 2);
    expect(wrong instanceof RunledgerError).toBe(true);
    expect(wrong instanceof WrongExpectedVersionError).toBe(true);
    expect(new RunledgerError('USAGE', 'u') instanceof WrongExpectedVersionError).toBe(false);
  });
});
