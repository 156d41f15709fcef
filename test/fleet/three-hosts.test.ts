/**
 * Three daemons, separate homes and host names, one private PostgreSQL:
 * one view of every run; the database killed mid-run and brought back; a
 * daemon killed with SIGKILL. At the end no event is lost or duplicated in
 * the fleet ledger and every host's chain verifies there, with the same
 * head as the host's own ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { FLEET_SCHEMA } from '../../src/fleet/schema.js';
import { Home, waitUntil } from '../cli/helpers.js';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';

const HOSTS = ['host-a', 'host-b', 'host-c'] as const;

describe.skipIf(!pgAvailable)('a fleet of three daemons on one PostgreSQL', () => {
  let cluster: PgCluster;
  const homes = new Map<string, Home>();
  // host-a's URL carries a password (the test cluster trusts every local connection, so any password works).
  const PASSWORD = 'sekrit-pw-1234';
  const urlOf = (host: string) => (host === 'host-a' ? cluster.url.replace('postgres@', `postgres:${PASSWORD}@`) : cluster.url);
  const env = (host: string) => ({ RUNLEDGER_FLEET_URL: urlOf(host), RUNLEDGER_HOST_NAME: host });
  const home = (host: string) => homes.get(host)!;
  const cli = (host: string, args: string[]) => home(host).cli(args, { env: env(host) });
  const json = <T = any>(host: string, args: string[]) => home(host).json<T>(args, { env: env(host) });
  const status = (host: string) => json(host, ['daemon', 'status']);
  const allSynced = () =>
    waitUntil(
      async () => (await Promise.all(HOSTS.map(async (h) => (await status(h)).fleet?.synced === true))).every(Boolean),
      'every host to be synced',
      600,
      100,
    );
  /** Every (host, local position) in the fleet, in fleet order. */
  const origins = async (): Promise<{ host: string; local: number }[]> => {
    const c = new pg.Client(cluster.url);
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT host, local_position FROM ${FLEET_SCHEMA}.origins ORDER BY position`);
      return rows.map((r) => ({ host: r.host as string, local: Number(r.local_position) }));
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    cluster = await startPgCluster();
    for (const h of HOSTS) homes.set(h, new Home());
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...homes.values()].map((h) => h.cleanup()));
    cluster?.stop();
  }, 120_000);

  it('shows every host in one view, with hosts and short ids, and --host filters', async () => {
    const runs: Record<string, any> = {};
    for (const h of HOSTS) {
      runs[h] = await home(h).start(['--name', `sleeper-${h}`, '--', 'sleep', '300'], { env: env(h) });
      await home(h).start(['--name', `quick-${h}`, '--', 'true'], { env: env(h) });
    }
    await allSynced();
    const { runs: all } = await json<{ runs: any[] }>('host-a', ['ps', '--all-hosts', '--all']);
    expect(all).toHaveLength(6);
    expect(new Set(all.map((r) => r.id)).size).toBe(6);
    expect(all.every((r) => /^[0-9a-z]{7}$/i.test(r.shortId))).toBe(true);
    for (const h of HOSTS)
      expect(
        all
          .filter((r) => r.host === h)
          .map((r) => r.name)
          .sort(),
      ).toEqual([`quick-${h}`, `sleeper-${h}`]);

    const human = await cli('host-a', ['ps', '--all-hosts']);
    expect(human.stdout).toMatch(/HOST/);
    expect(human.stdout).toContain('host-c');

    const onlyB = await json<{ runs: any[] }>('host-a', ['ps', '--host', 'host-b', '--all']);
    expect(onlyB.runs.map((r) => r.host)).toEqual(['host-b', 'host-b']);

    const shown = await json('host-a', ['show', runs['host-c'].shortId, '--all-hosts']);
    expect(shown.run).toMatchObject({ id: runs['host-c'].id, host: 'host-c', status: 'running' });

    const events = await cli('host-a', ['events', '--all-hosts', '--host', 'host-b', '--json']);
    const types = events.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(types.length).toBeGreaterThan(0);
    expect(types.some((e) => e.streamId === `run-${runs['host-b'].id}`)).toBe(true);
    expect(types.some((e) => e.streamId === `run-${runs['host-a'].id}`)).toBe(false);

    const replay = await json<{ runs: any[] }>('host-b', ['replay', '--at', '1', '--all-hosts', '--all']);
    expect(replay.runs.length).toBeLessThanOrEqual(1);
  }, 120_000);

  it('keeps supervising while the database is down, catches up after, and survives kill -9: nothing lost or duplicated', async () => {
    cluster.kill();
    for (const h of HOSTS) {
      const r = await home(h).start(['--name', `offline-${h}`, '--', 'true'], { env: env(h) });
      expect(r.id).toBeTruthy();
    }
    await waitUntil(async () => (await status('host-a')).fleet?.lastError?.code === 'FLEET_UNAVAILABLE', 'the outage to show', 600, 100);
    const down = await status('host-a');
    expect(down.fleet.lag).toBeGreaterThan(0);
    const human = await cli('host-a', ['daemon', 'status']);
    expect(human.stdout).toMatch(/fleet +host host-a, paused: FLEET_UNAVAILABLE/);
    // The fleet view refuses rather than guess; local commands go on.
    const refused = await cli('host-a', ['ps', '--all-hosts', '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr.trim().split('\n').pop()!).error.code).toBe('FLEET_UNAVAILABLE');
    expect(refused.stdout + refused.stderr).not.toContain(PASSWORD);
    expect((await json('host-a', ['ps', '--all'])).runs.length).toBeGreaterThan(0);
    cluster.start();
    await allSynced();

    // A daemon killed outright: its next start resumes where the fleet says it stopped.
    const pid = home('host-b').daemonPid()!;
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => home('host-b').daemonPid() === null || !isProcessAlive(pid), 'the daemon to die', 200, 50);
    await home('host-b').start(['--name', 'after-kill', '--', 'true'], { env: env('host-b') });
    await allSynced();

    const rows = await origins();
    for (const h of HOSTS) {
      const local = (await home(h).ledger()).head;
      const mine = rows.filter((r) => r.host === h).map((r) => r.local);
      expect(mine).toEqual(Array.from({ length: local }, (_, i) => i + 1));
    }
    const verified = await json('host-c', ['fleet', 'verify']);
    expect(verified.ok).toBe(true);
    for (const h of HOSTS) {
      const local = await json(h, ['verify']);
      expect(verified.hosts.find((x: any) => x.host === h).head).toEqual(local.head);
    }
    const hosts = await json('host-a', ['fleet', 'hosts']);
    expect(hosts.hosts.map((x: any) => x.host)).toEqual([...HOSTS]);

    // The password is in no log line, no local event and no fleet event.
    expect(readFileSync(join(home('host-a').dir, 'daemon.log'), 'utf8')).not.toContain(PASSWORD);
    expect((await cli('host-a', ['export'])).stdout).not.toContain(PASSWORD);
    expect((await cli('host-a', ['events', '--all-hosts', '--json'])).stdout).not.toContain(PASSWORD);
  }, 180_000);
});

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
