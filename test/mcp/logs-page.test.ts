/** A bounded page: never over budget, keeps the side the reader needs, and a cursor that resumes exactly. */
import { describe, expect, it } from 'vitest';
import { boundPage, cursorOf, type IndexedLine } from '../../src/mcp/logs-page.js';

const lines = (n: number, from = 0): IndexedLine[] =>
  Array.from({ length: n }, (_, i) => ({ stream: 'stdout', line: String(from + i).padStart(7, '0'), index: from + i }));

describe('boundPage', () => {
  it('keeps the last lines of a tail and the first of a forward read, within the byte budget', () => {
    const all = lines(100); // 8 bytes each with the newline
    const tail = boundPage(all, { maxBytes: 80, maxLineBytes: 100, keep: 'last' });
    expect(tail.lines.map((l) => l.index)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(tail.cut).toBe(90);
    const forward = boundPage(all, { maxBytes: 80, maxLineBytes: 100, keep: 'first' });
    expect(forward.lines.map((l) => l.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('cuts long lines and counts them', () => {
    const page = boundPage([{ stream: 'stderr', line: 'x'.repeat(50), index: 0 }], { maxBytes: 1000, maxLineBytes: 10, keep: 'last' });
    expect(page.lines[0]!.line).toBe(`${'x'.repeat(10)}… [line cut]`);
    expect(page.shortened).toBe(1);
  });
});

describe('cursorOf', () => {
  it('is one past the last line of the stream, else where the read began', () => {
    expect(cursorOf(lines(3, 5), 'stdout', 5)).toBe(8);
    expect(cursorOf(lines(3, 5), 'stderr', 2)).toBe(2);
    expect(cursorOf([], 'stdout', 0)).toBe(0);
  });
});
