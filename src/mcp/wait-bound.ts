/**
 * The `wait` tool's bound (pure): the timeout asked for, or 30 s, at most the
 * server's 10-minute cap. A cut timeout is said in the answer, not applied
 * silently: an agent that asked for an hour learns it must call again.
 */
export const DEFAULT_WAIT_MS = 30_000;
export const MAX_WAIT_MS = 10 * 60_000;

export interface WaitBound {
  timeoutMs: number;
  /** Only when the timeout asked for was cut to the cap. */
  capped?: { requestedMs: number; appliedMs: number; note: string };
}

export function waitBound(requestedMs: number | undefined): WaitBound {
  if (requestedMs === undefined) return { timeoutMs: DEFAULT_WAIT_MS };
  if (requestedMs <= MAX_WAIT_MS) return { timeoutMs: requestedMs };
  const note = `timeout ${seconds(requestedMs)} cut to the server's cap of ${seconds(MAX_WAIT_MS)}; call wait again to wait longer`;
  return { timeoutMs: MAX_WAIT_MS, capped: { requestedMs, appliedMs: MAX_WAIT_MS, note } };
}

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;
