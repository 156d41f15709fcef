/**
 * Closing the API server without waiting on clients: stop accepting, end
 * every open stream (followers would otherwise hold it open forever), and
 * cut connections that are still busy after a grace period.
 */
import type { Server } from 'node:http';

const GRACE_MS = 2000;

export function closeServer(server: Server, openStreams: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const end of [...openStreams]) end();
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), GRACE_MS);
    timer.unref();
  });
}
