import { describe, expect, it } from 'vitest';
import { createSharedScan } from '../../src/runtime/shared-scan.js';

/** A scan the test finishes by hand; each result is the scan's number. */
function controlledScan() {
  const pending: Array<() => void> = [];
  let started = 0;
  const scan = createSharedScan(async () => {
    const n = ++started;
    await new Promise<void>((resolve) => pending.push(resolve));
    return n;
  });
  const finishOne = async (): Promise<void> => {
    pending.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { scan, finishOne, started: () => started };
}

describe('createSharedScan', () => {
  it('runs one scan for many callers that arrive while another runs, and never answers with a scan that began earlier', async () => {
    const { scan, finishOne, started } = controlledScan();
    const first = scan.fresh();
    const late = Array.from({ length: 100 }, () => scan.fresh());
    expect(started()).toBe(1);
    await finishOne();
    expect(await first).toBe(1);
    expect(started()).toBe(2);
    await finishOne();
    expect(new Set(await Promise.all(late))).toEqual(new Set([2]));
  });

  it('starts at once when nothing runs, and again for a caller after that scan ended', async () => {
    const { scan, finishOne, started } = controlledScan();
    const a = scan.fresh();
    await finishOne();
    expect(await a).toBe(1);
    const b = scan.fresh();
    expect(started()).toBe(2);
    await finishOne();
    expect(await b).toBe(2);
  });

  it('lets a failed scan fail its callers and does not block the next one', async () => {
    let calls = 0;
    const scan = createSharedScan(async () => {
      calls++;
      if (calls === 1) throw new Error('EMFILE');
      return calls;
    });
    await expect(scan.fresh()).rejects.toThrow('EMFILE');
    await expect(scan.fresh()).resolves.toBe(2);
  });
});
