/**
 * A private PostgreSQL cluster and one daemon per host name, each in its own
 * temporary home, for the fleet tests that drive the built CLI: helpers to
 * run a command as a given host, read its JSON error, and wait until a
 * daemon has joined the fleet (its first heartbeat and replication pass).
 * Cleanup goes by pid through each Home.
 */
import { Home, waitUntil, type CliResult } from '../cli/helpers.js';
import { startPgCluster, type PgCluster } from './pg-cluster.js';

export interface FleetHosts {
  cluster: PgCluster;
  home(host: string): Home;
  env(host: string): Record<string, string>;
  cli(host: string, args: string[]): Promise<CliResult>;
  json<T = any>(host: string, args: string[]): Promise<T>;
  /** Start a run on `host`'s own daemon and track it for cleanup. */
  start(host: string, args: string[]): Promise<any>;
  /** Wait until `host`'s daemon heartbeats and has shipped its ledger. */
  daemonUp(host: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** The `error` object a `--json` command printed last on stderr. */
export const errorOf = (r: { stderr: string }): any => JSON.parse(r.stderr.trim().split('\n').pop()!).error;

export async function startFleetHosts(hosts: readonly string[]): Promise<FleetHosts> {
  const cluster = await startPgCluster();
  const homes = new Map(hosts.map((h) => [h, new Home()]));
  const home = (host: string) => homes.get(host)!;
  const env = (host: string) => ({ RUNLEDGER_FLEET_URL: cluster.url, RUNLEDGER_HOST_NAME: host });
  const json = <T = any>(host: string, args: string[]) => home(host).json<T>(args, { env: env(host) });
  return {
    cluster,
    home,
    env,
    json,
    cli: (host, args) => home(host).cli(args, { env: env(host) }),
    start: (host, args) => home(host).start(args, { env: env(host) }),
    daemonUp: (host) =>
      waitUntil(async () => (await json(host, ['daemon', 'status'])).fleet?.synced === true, `${host} to be synced`, 600, 100),
    async cleanup() {
      await Promise.all([...homes.values()].map((h) => h.cleanup()));
      cluster.stop();
    },
  };
}
