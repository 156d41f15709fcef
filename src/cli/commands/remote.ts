/**
 * Commands on another host (`--host NAME` on run, stop, restart,
 * interrupt): the request goes into the fleet database addressed to that
 * host, whose daemon claims it once, acts through its own Supervisor and
 * answers; we wait for the answer up to --request-timeout (default 15 s).
 * A host with a stale heartbeat, or no answer in time, is HOST_UNAVAILABLE
 * naming its last heartbeat; the unclaimed request is then cancelled, so it
 * never runs later.
 */
import { hostname } from 'node:os';
import { ERROR_CODES, RunledgerError, type ErrorCode } from '../../errors.js';
import { parseDuration } from '../../supervisor/durations.js';
import { openFleetDb } from '../../fleet/fleet-db.js';
import { awaitAnswer, newRequest, requireLiveHost, submitRequest, type RemoteCommand } from '../../fleet/remote-requests.js';
import type { CliContext } from '../context.js';

export interface RemoteFlags {
  host?: string;
  /** Find the run in the fleet ledger and send the command to the host that runs it. */
  allHosts?: boolean;
  fleetUrl?: string;
  requestTimeout?: string;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

function fleetUrlOf(ctx: CliContext, flags: RemoteFlags): string {
  const url = flags.fleetUrl ?? ctx.env.RUNLEDGER_FLEET_URL;
  if (!url) throw new RunledgerError('USAGE', `--host/--all-hosts need the fleet database: --fleet-url URL or RUNLEDGER_FLEET_URL`);
  return url;
}

/**
 * Where a command on run `id` goes, and the id to send: with --host, that
 * host and the id as typed (its daemon resolves ids, short ids and names
 * against its own runs); with --all-hosts, the host that recorded the run in
 * the fleet ledger (undefined when that is this host: the local daemon
 * handles it) and the full id the fleet resolved, so the target acts on
 * exactly the run the fleet named, not on what the typed name means there.
 */
export async function targetOf(ctx: CliContext, flags: RemoteFlags, id: string): Promise<{ host: string | undefined; id: string }> {
  if (flags.host !== undefined || !flags.allHosts) return { host: flags.host, id };
  const { openFleetReadBackend } = await import('../backend-fleet.js');
  const fleet = await openFleetReadBackend({ url: fleetUrlOf(ctx, flags) }, ctx.now);
  try {
    const { run } = await fleet.show(id);
    return { host: run.host === (ctx.env.RUNLEDGER_HOST_NAME || hostname()) ? undefined : run.host, id: run.id };
  } finally {
    await fleet.close();
  }
}

export async function sendRemote<T>(
  ctx: CliContext,
  flags: RemoteFlags,
  command: RemoteCommand,
  payload: Record<string, unknown>,
): Promise<T> {
  const url = fleetUrlOf(ctx, flags);
  const timeoutMs =
    flags.requestTimeout !== undefined ? parseDuration(flags.requestTimeout, '--request-timeout') : DEFAULT_REQUEST_TIMEOUT_MS;
  const db = await openFleetDb(url);
  try {
    await requireLiveHost(db, flags.host!);
    const request = newRequest(ctx.env.RUNLEDGER_HOST_NAME || hostname(), flags.host!, command, payload);
    await submitRequest(db, request, timeoutMs);
    const answer = await awaitAnswer(db, request, timeoutMs);
    if (!answer.ok) {
      const { code, message, details } = answer.error;
      throw new RunledgerError(
        (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'INTERNAL',
        `host ${flags.host}: ${message}`,
        {
          ...((details as Record<string, unknown> | undefined) ?? {}),
          targetHost: flags.host,
        },
      );
    }
    return answer.value as T;
  } finally {
    await db.close();
  }
}
