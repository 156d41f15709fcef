/**
 * The event a host records for another host's request it acted on (pure):
 * appended to `host-<name>` in its own ledger, so the fleet ledger shows
 * who asked which host for what, and which runs it touched.
 */
import type { RunledgerEvent } from '../events/envelope.js';
import type { EventData } from '../events/schemas.js';

export function hostStreamId(host: string): string {
  return `host-${host}`;
}

export function decideRemoteCommandHandled(cmd: EventData<'RemoteCommandHandled'>): RunledgerEvent[] {
  return [{ type: 'RemoteCommandHandled', data: { ...cmd, runIds: [...cmd.runIds] } }];
}
