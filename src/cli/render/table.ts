/** A compact, aligned, borderless table (like `ps`), width measured without colour codes. */

const ANSI = /\x1b\[[0-9;]*m/g;

export function visibleWidth(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Rows of cells under a header; the last column is not padded. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  paintHeader: (s: string) => string = (s) => s,
): string {
  const widths = header.map((h, i) => Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ''))));
  const line = (cells: readonly string[], paint = (s: string) => s) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? paint(c) : paint(c) + ' '.repeat(widths[i]! - visibleWidth(c))))
      .join('  ')
      .trimEnd();
  return [line(header, paintHeader), ...rows.map((r) => line(r))].join('\n');
}

/** Cut a long cell to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
