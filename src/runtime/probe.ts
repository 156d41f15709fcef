/** One connection attempt to a TCP port or Unix socket, for readiness checks. */
import { connect } from 'node:net';
import type { ProbeTarget } from './adapter.js';

const PROBE_TIMEOUT_MS = 500;

/** Does the port or socket accept a connection right now? Never throws. */
export function probeTarget(target: ProbeTarget, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  if (target.socket === undefined && target.port === undefined) {
    throw new TypeError('probe needs a port or a socket');
  }
  return new Promise((resolve) => {
    const sock =
      target.socket !== undefined
        ? connect({ path: target.socket })
        : connect({ port: target.port as number, host: target.host ?? '127.0.0.1' });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}
