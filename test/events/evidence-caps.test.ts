import { describe, expect, it } from 'vitest';
import { byteLength, capCheckpoint, capLine, capTail, TAIL_LINE_BYTES, TAIL_TOTAL_BYTES } from '../../src/events/evidence-caps.js';

describe('capLine', () => {
  it('keeps a line within the cap as it is', () => {
    expect(capLine('hello', 10)).toBe('hello');
  });

  it('cuts a longer line to the cap, marker included, saying how many bytes were cut', () => {
    const cut = capLine('a'.repeat(5000), 100);
    expect(byteLength(cut)).toBeLessThanOrEqual(100);
    const [, kept, lost] = /^(a+) …\[\+(\d+) bytes, cut\]$/.exec(cut)!;
    expect(kept!.length + Number(lost)).toBe(5000);
  });

  it('never cuts inside a multi-byte character', () => {
    const cut = capLine('é'.repeat(3000), 101);
    expect(cut).not.toContain('\uFFFD');
    expect(byteLength(cut)).toBeLessThanOrEqual(101);
  });
});

describe('capTail', () => {
  it('keeps a short tail unchanged', () => {
    expect(capTail(['a', 'b'])).toEqual(['a', 'b']);
  });

  it('caps each line and the total, newest lines kept, dropped ones counted', () => {
    const tail = capTail(Array.from({ length: 25 }, (_, i) => `${i}:${'x'.repeat(70_000)}`));
    expect(tail.reduce((n, l) => n + byteLength(l), 0)).toBeLessThanOrEqual(TAIL_TOTAL_BYTES);
    for (const l of tail) expect(byteLength(l)).toBeLessThanOrEqual(TAIL_LINE_BYTES);
    expect(tail[0]).toMatch(/^…\[(\d+) earlier lines dropped\]$/);
    const kept = tail.length - 1;
    expect(Number(/\d+/.exec(tail[0]!)![0]) + kept).toBe(25);
    expect(tail.at(-1)).toMatch(/^24:/);
  });
});

describe('capCheckpoint', () => {
  it('passes a small checkpoint through and turns a large one into a marked preview', () => {
    expect(capCheckpoint({ phase: 'build' })).toEqual({ phase: 'build' });
    expect(capCheckpoint(undefined)).toBeUndefined();
    const big = capCheckpoint({ s: 'z'.repeat(10_000) }) as { truncated: boolean; bytes: number; preview: string };
    expect(big).toMatchObject({ truncated: true, bytes: 10_008 });
    expect(big.preview.startsWith('{"s":"zzz')).toBe(true);
  });
});
