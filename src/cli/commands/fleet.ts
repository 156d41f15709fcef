/** `runledger fleet verify | hosts`. */
import { RunledgerError } from '../../errors.js';
import { openFleetStore, type FleetStore } from '../../fleet/open-fleet.js';
import { verifyHostChains } from '../../fleet/host-chain.js';
import { listFleetHosts } from '../../fleet/hosts.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT_ERROR } from '../failure.js';
import { formatTable } from '../render/table.js';

async function withFleet<T>(ctx: CliContext, o: Record<string, unknown>, fn: (store: FleetStore) => Promise<T>): Promise<T> {
  const url = (o.fleetUrl as string | undefined) ?? ctx.env.RUNLEDGER_FLEET_URL;
  if (!url) throw new RunledgerError('USAGE', 'the fleet database: --fleet-url URL or RUNLEDGER_FLEET_URL');
  const store = await openFleetStore({ url, watch: false, connections: 2 });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function fleetVerifyCommand(ctx: CliContext, o: Record<string, unknown>): Promise<CommandResult> {
  return withFleet(ctx, o, async (store) => {
    const [fleet, hosts] = [await store.verify(), await verifyHostChains(store.backend)];
    const ok = fleet.ok && hosts.every((h) => h.ok);
    const value = { ok, fleet, hosts };
    const human = () =>
      [
        fleet.ok
          ? `fleet ledger ok: ${fleet.checked} events`
          : `fleet ledger BROKEN at ${fleet.firstBad?.position}: ${fleet.firstBad?.reason}`,
        ...hosts.map((h) =>
          h.ok
            ? `host ${h.host} ok: ${h.checked} events, head ${h.head.hash.slice(0, 12)}`
            : `host ${h.host} BROKEN at ${h.firstBad?.localPosition}: ${h.firstBad?.reason}`,
        ),
      ].join('\n');
    return { value, human, ...(ok ? {} : { exitCode: EXIT_ERROR }) };
  });
}

export async function fleetHostsCommand(ctx: CliContext, o: Record<string, unknown>): Promise<CommandResult> {
  return withFleet(ctx, o, async (store) => {
    const hosts = await listFleetHosts(store.backend);
    const human = () =>
      formatTable(
        ['HOST', 'HEARTBEAT', 'SILENT', 'SHIPPED', 'LAG'],
        hosts.map((h) => [h.host, h.heartbeatAt, `${h.silentForS}s`, String(h.shipped), String(h.lag)]),
        (s: string) => s,
      );
    return { value: { hosts }, human };
  });
}
