/**
 * The daemon's side of a fleet, in one place: the settings taken out of the
 * daemon's own environment (so no supervised child inherits the database
 * URL and its password), the replicator and the coordination started beside
 * supervision (never in its way: appends go to the local ledger, the
 * replicator follows), and both stopped in order on the way out. pg and the
 * fleet code are imported only in a fleet, so a daemon outside one pays
 * nothing for them. Split from foreground.ts.
 */
import { fleetConfigFromEnv, FLEET_URL_ENV, HOST_NAME_ENV, type FleetConfig } from '../fleet/fleet-config.js';
import type { DaemonContext } from './context.js';

/** The fleet settings; with the process's own environment (no `env` given), removed from it. */
export function takeFleetConfig(env: NodeJS.ProcessEnv | undefined): FleetConfig | undefined {
  const config = fleetConfigFromEnv(env ?? process.env);
  if (!env) {
    delete process.env[FLEET_URL_ENV];
    delete process.env[HOST_NAME_ENV];
  }
  return config;
}

export interface FleetMembership {
  /** Stop coordinating, then replicating. */
  stop(): Promise<void>;
}

/** Start replicating and coordinating and set `ctx.fleet`; undefined (and nothing loaded) outside a fleet. */
export async function joinFleet(ctx: DaemonContext, config: FleetConfig | undefined): Promise<FleetMembership | undefined> {
  if (!config) return undefined;
  const replicator = (await import('../fleet/replicator.js')).startReplicator({
    local: ctx.store,
    url: config.url,
    host: config.host,
    log: (level, message, fields) => ctx.log[level](message, fields),
  });
  const coordination = (await import('./fleet-coordination.js')).startFleetCoordination(ctx, config.url, config.host);
  ctx.fleet = { host: config.host, status: () => replicator.status(), startLeased: coordination.startLeased };
  return {
    async stop() {
      await coordination.stop();
      await replicator.stop();
    },
  };
}
