/**
 * One bounded page of a run's output for an agent (pure): a byte budget the
 * page never exceeds, long lines cut, and a cursor to resume from. Reading
 * forward (`cursor` given) keeps the first lines, so paging goes on from the
 * cursor; a plain tail keeps the last ones, which are what one wants to see.
 */
export interface IndexedLine {
  stream: 'stdout' | 'stderr';
  line: string;
  index: number;
}

export interface PageLimits {
  maxBytes: number;
  maxLineBytes: number;
  keep: 'first' | 'last';
}

export interface Page {
  lines: IndexedLine[];
  /** Lines that did not fit the budget. */
  cut: number;
  /** Lines shortened to maxLineBytes. */
  shortened: number;
}

export function boundPage(lines: readonly IndexedLine[], limits: PageLimits): Page {
  let shortened = 0;
  const fitted = lines.map((l) => {
    if (Buffer.byteLength(l.line) <= limits.maxLineBytes) return l;
    shortened++;
    return { ...l, line: `${Buffer.from(l.line).subarray(0, limits.maxLineBytes).toString('utf8')}… [line cut]` };
  });
  const order = limits.keep === 'first' ? fitted : [...fitted].reverse();
  const kept: IndexedLine[] = [];
  let bytes = 0;
  for (const l of order) {
    const size = Buffer.byteLength(l.line) + 1;
    if (bytes + size > limits.maxBytes) break;
    bytes += size;
    kept.push(l);
  }
  if (limits.keep === 'last') kept.reverse();
  return { lines: kept, cut: lines.length - kept.length, shortened };
}

/** Where to resume a stream: after the last line given, else where this read began. */
export function cursorOf(lines: readonly IndexedLine[], stream: 'stdout' | 'stderr', from: number): number {
  let next = from;
  for (const l of lines) if (l.stream === stream && l.index + 1 > next) next = l.index + 1;
  return next;
}
