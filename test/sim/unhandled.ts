/**
 * Background work in the supervisor is fire-and-forget (`void withRun(...)`),
 * so an append that fails there becomes an unhandled rejection — which ends
 * a Node process by default. The simulator treats it exactly so: the
 * incarnation crashes (and the next step restarts it), and the reason is kept
 * for the report. Vitest's own handler is parked meanwhile, or it would fail
 * the run for what is, here, a modelled crash.
 */
export interface Unhandled {
  reasons: unknown[];
  restore(): void;
}

export function captureUnhandled(onReason: (reason: unknown) => void): Unhandled {
  const parked = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  const reasons: unknown[] = [];
  const listener = (reason: unknown): void => {
    reasons.push(reason);
    onReason(reason);
  };
  process.on('unhandledRejection', listener);
  return {
    reasons,
    restore() {
      process.off('unhandledRejection', listener);
      for (const l of parked) process.on('unhandledRejection', l);
    },
  };
}
