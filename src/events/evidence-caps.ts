/**
 * Byte caps on evidence a child controls (its output lines, stderr tails,
 * checkpoints): the ledger is permanent, so a child printing 70 kB lines
 * must not write megabyte events into it. Every cut is marked, never silent.
 * Documented in README.md ("Evidence caps"). Pure.
 */

/** One line of a stderr tail or a readiness message, in UTF-8 bytes. */
export const TAIL_LINE_BYTES = 2048;
/** A whole stderr tail, markers included. */
export const TAIL_TOTAL_BYTES = 8192;
/** Lines kept in a stderr tail. */
export const TAIL_LINES = 20;
/** A checkpoint's JSON; a larger one is recorded as a marked preview. */
export const CHECKPOINT_BYTES = 4096;

const encoder = new TextEncoder();

export function byteLength(s: string): number {
  return encoder.encode(s).length;
}

/** `s` cut to at most `max` UTF-8 bytes (marker included), never inside a character, marked when cut. */
export function capLine(s: string, max: number): string {
  const bytes = byteLength(s);
  if (bytes <= max) return s;
  const marker = ` …[+${bytes} bytes, cut]`; // at least as long as the final one
  const room = Math.max(0, max - byteLength(marker));
  // encodeInto stops before a character that would not fit whole.
  const buf = new Uint8Array(room);
  const { read } = encoder.encodeInto(s, buf);
  const kept = s.slice(0, read);
  return `${kept} …[+${bytes - byteLength(kept)} bytes, cut]`;
}

/**
 * The last lines of a tail within the caps: each line capped, then the oldest
 * dropped until the total fits, with a first line saying how many were dropped.
 */
export function capTail(lines: readonly string[]): string[] {
  const capped = lines.slice(-TAIL_LINES).map((l) => capLine(l, TAIL_LINE_BYTES));
  let dropped = lines.length - capped.length;
  const total = (): number => capped.reduce((n, l) => n + byteLength(l), 0) + (dropped > 0 ? 40 : 0);
  while (capped.length > 0 && total() > TAIL_TOTAL_BYTES) {
    capped.shift();
    dropped++;
  }
  return dropped > 0 ? [`…[${dropped} earlier lines dropped]`, ...capped] : capped;
}

/** A checkpoint as recorded: itself when its JSON is small, else a marked preview. */
export function capCheckpoint(checkpoint: unknown): unknown {
  const json = JSON.stringify(checkpoint) ?? 'null';
  const bytes = byteLength(json);
  if (bytes <= CHECKPOINT_BYTES) return checkpoint;
  return { truncated: true, bytes, preview: capLine(json, CHECKPOINT_BYTES / 2) };
}
