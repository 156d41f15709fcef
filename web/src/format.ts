/**
 * Forms only the page uses. Durations, sizes, exits and command lines are the CLI's
 * own functions (src/projections/describe.ts, bundled into the page), so the
 * two cannot drift apart; do not copy them here.
 */

/** The viewer's local wall-clock time of a ledger timestamp, 24-hour. */
export function clockTime(iso: string | number): string {
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour12: false });
}
