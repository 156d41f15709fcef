/**
 * Commands across hosts and fleet-wide slots, with two real daemons on one
 * private PostgreSQL: `run --host B` from A starts a real process on B
 * exactly once and `stop --host B` stops it; a host whose daemon is down is
 * HOST_UNAVAILABLE naming its last heartbeat, and the timed-out request never
 * runs later, while one sent during a short outage is caught up; `--slot S
 * --fleet` is one run fleet-wide (SLOT_BUSY names the host and run) and is
 * refused with FLEET_UNAVAILABLE while the database is down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { FLEET_SCHEMA } from '../../src/fleet/schema.js';
import { Home, isAlive, waitUntil } from '../cli/helpers.js';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';

const HOSTS = ['host-a', 'host-b'] as const;
const REQUEST_LABEL = 'runledger.request';

describe.skipIf(!pgAvailable)('commands across hosts and fleet-wide slots', () => {
  let cluster: PgCluster;
  const homes = new Map<string, Home>();
  const env = (host: string) => ({ RUNLEDGER_FLEET_URL: cluster.url, RUNLEDGER_HOST_NAME: host });
  const home = (host: string) => homes.get(host)!;
  const cli = (host: string, args: string[]) => home(host).cli(args, { env: env(host) });
  const json = <T = any>(host: string, args: string[]) => home(host).json<T>(args, { env: env(host) });
  const errorOf = (r: { stderr: string }) => JSON.parse(r.stderr.trim().split('\n').pop()!).error;
  const sql = async <R = any>(text: string, params: unknown[] = []): Promise<R[]> => {
    const c = new pg.Client(cluster.url);
    await c.connect();
    try {
      return (await c.query(text, params)).rows as R[];
    } finally {
      await c.end();
    }
  };
  const requestRuns = async (host: string) =>
    (await json<{ runs: any[] }>(host, ['ps', '--all'])).runs.filter((r) => r.labels?.[REQUEST_LABEL] !== undefined);
  /** A daemon heartbeats once it is up; the first remote request needs that. */
  const daemonUp = (host: string) =>
    waitUntil(async () => (await json(host, ['daemon', 'status'])).fleet?.synced === true, `${host} to be synced`, 600, 100);

  beforeAll(async () => {
    cluster = await startPgCluster();
    for (const h of HOSTS) homes.set(h, new Home());
    for (const h of HOSTS) {
      await home(h).start(['--name', `hello-${h}`, '--', 'true'], { env: env(h) });
      await daemonUp(h);
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...homes.values()].map((h) => h.cleanup()));
    cluster?.stop();
  }, 120_000);

  it('run --host B from A starts a real process on B exactly once; restart --all-hosts and stop --host B act on it there', async () => {
    const { run, host } = await json('host-a', ['run', '--host', 'host-b', '--name', 'remote-sleeper', '--', 'sleep', '300']);
    home('host-b').track(run);
    expect(host).toBe('host-b');
    expect(run.status).toBe('running');
    const pid = run.attempts[0].pid as number;
    expect(isAlive(pid)).toBe(true);

    // B's own ledger holds it, tagged with the request, once; A's holds nothing of it.
    const onB = await requestRuns('host-b');
    expect(onB.map((r) => r.id)).toEqual([run.id]);
    const requestId = onB[0].labels[REQUEST_LABEL];
    expect((await json<{ runs: any[] }>('host-a', ['ps', '--all'])).runs.some((r) => r.id === run.id)).toBe(false);
    const [row] = await sql(`SELECT claimed_by, payload FROM ${FLEET_SCHEMA}.remote_requests WHERE request_id = $1`, [requestId]);
    expect(row).toEqual({ claimed_by: 'host-b', payload: null });
    // The fleet sees it as host-b's run.
    await waitUntil(
      async () => (await json<{ runs: any[] }>('host-a', ['ps', '--all-hosts'])).runs.some((r) => r.id === run.id && r.host === 'host-b'),
      'the remote run in the fleet view',
      600,
      100,
    );

    // --all-hosts finds the run's host in the fleet and sends the command there.
    const restarted = await json('host-a', ['restart', '--all-hosts', run.shortId]);
    expect(restarted).toMatchObject({ host: 'host-b', run: { id: run.id } });
    let second: any;
    await waitUntil(
      async () => {
        second = (await json('host-b', ['show', run.id])).run;
        return second.attempts.length === 2 && second.attempts[1].pid != null;
      },
      'the second attempt on host-b',
      400,
      50,
    );
    home('host-b').track(second);
    const pid2 = second.attempts[1].pid as number;
    await waitUntil(() => !isAlive(pid), 'the first attempt to end', 200, 50);
    expect(isAlive(pid2)).toBe(true);

    const stopped = await json('host-a', ['stop', '--host', 'host-b', run.shortId]);
    expect(stopped.runs[0]).toMatchObject({ id: run.id });
    expect(['stopped', 'killed']).toContain(stopped.runs[0].status);
    await waitUntil(() => !isAlive(pid2), 'the remote process to end', 200, 50);
    expect((await json('host-b', ['show', run.id])).run.status).toBe(stopped.runs[0].status);
    expect(await requestRuns('host-b')).toHaveLength(1);

    // B's own ledger records each request it handled (stream host-host-b), and the fleet shows them.
    const handled = (await cli('host-b', ['events', '--type', 'RemoteCommandHandled', '--json'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(handled.map((e) => [e.streamId, e.data.command, e.data.fromHost, e.data.ok, e.data.runIds])).toEqual([
      ['host-host-b', 'run', 'host-a', true, [run.id]],
      ['host-host-b', 'restart', 'host-a', true, [run.id]],
      ['host-host-b', 'stop', 'host-a', true, [run.id]],
    ]);
    expect(handled[0].data.requestId).toBe(requestId);
  }, 120_000);

  it('interrupt --host B signals exactly that owner scope on B', async () => {
    const { run } = await json('host-a', ['run', '--host', 'host-b', '--session', 'remote-s1', '--', 'sleep', '300']);
    home('host-b').track(run);
    const report = await json('host-a', ['interrupt', '--host', 'host-b', '--session', 'remote-s1']);
    expect(report.matched.map((r: any) => r.id)).toEqual([run.id]);
    expect(report.signaled.map((r: any) => r.id)).toEqual([run.id]);
    await waitUntil(() => !isAlive(run.attempts[0].pid), 'the interrupted process to end', 200, 50);
  }, 60_000);

  it('a host whose daemon is down is HOST_UNAVAILABLE with its last heartbeat; the expired request never runs, a waiting one is caught up', async () => {
    const before = (await requestRuns('host-b')).length;
    expect((await cli('host-b', ['daemon', 'stop'])).code).toBe(0);

    // The heartbeat is still recent: the request is sent, nobody answers, the deadline cancels it.
    const timedOut = await cli('host-a', ['--json', 'run', '--host', 'host-b', '--request-timeout', '1', '--', 'sleep', '300']);
    expect(timedOut.code).not.toBe(0);
    const e1 = errorOf(timedOut);
    expect(e1.code).toBe('HOST_UNAVAILABLE');
    expect(e1.message).toContain('host-b');
    expect(Date.parse(e1.details.lastHeartbeat)).toBeGreaterThan(0);
    expect(e1.message).toContain(e1.details.lastHeartbeat);

    // A request sent during the outage with a long deadline is picked up when B comes back (the catch-up read).
    const waiting = cli('host-a', ['--json', 'run', '--host', 'host-b', '--request-timeout', '60', '--name', 'caught-up', '--', 'true']);
    await waitUntil(
      async () => (await sql(`SELECT 1 FROM ${FLEET_SCHEMA}.remote_requests WHERE claimed_by IS NULL`)).length > 0,
      'the request to wait in the fleet',
      600,
      50,
    );
    expect((await cli('host-b', ['daemon', 'start'])).code).toBe(0);
    const answered = await waiting;
    expect(answered.code).toBe(0);
    expect(JSON.parse(answered.stdout).run.name).toBe('caught-up');

    // Exactly once each: the caught-up run is there once, the expired one never ran.
    await new Promise((r) => setTimeout(r, 1500)); // two of the daemon's 1 s polls: an expired request would have been claimed by now
    const runs = await requestRuns('host-b');
    expect(runs.length).toBe(before + 1);
    expect(runs.filter((r) => r.name === 'caught-up')).toHaveLength(1);
    const expired = await sql(`SELECT claimed_by FROM ${FLEET_SCHEMA}.remote_requests WHERE claimed_by = '(expired)'`);
    expect(expired).toHaveLength(1);
    // No payload (it may hold -e values) stays in the database once a request is claimed or expired.
    expect(await sql(`SELECT request_id FROM ${FLEET_SCHEMA}.remote_requests WHERE payload IS NOT NULL`)).toEqual([]);

    // A heartbeat older than three beats: refused at once, nothing sent.
    expect((await cli('host-b', ['daemon', 'stop'])).code).toBe(0);
    await waitUntil(
      async () => (await json<{ hosts: any[] }>('host-a', ['fleet', 'hosts'])).hosts.find((h) => h.host === 'host-b').silentForS > 6.5,
      'host-b to fall silent',
      300,
      100,
    );
    const count = (await sql(`SELECT count(*)::int AS n FROM ${FLEET_SCHEMA}.remote_requests`))[0].n;
    const stale = await cli('host-a', ['--json', 'stop', '--host', 'host-b', 'whatever']);
    const e2 = errorOf(stale);
    expect(e2.code).toBe('HOST_UNAVAILABLE');
    expect(e2.message).toMatch(/host host-b is unavailable \(no heartbeat for 6 s\): last heartbeat \S+Z/);
    expect((await sql(`SELECT count(*)::int AS n FROM ${FLEET_SCHEMA}.remote_requests`))[0].n).toBe(count);
    expect((await cli('host-b', ['daemon', 'start'])).code).toBe(0);
    await daemonUp('host-b');
  }, 120_000);

  it('--slot S --fleet holds S across hosts: SLOT_BUSY names host and run; freed when the run ends', async () => {
    const held = await home('host-a').start(['--slot', 'device-1', '--fleet', '--', 'sleep', '300'], { env: env('host-a') });
    const busy = await cli('host-b', ['--json', 'run', '--slot', 'device-1', '--fleet', '--', 'sleep', '300']);
    expect(busy.code).not.toBe(0);
    const e = errorOf(busy);
    expect(e.code).toBe('SLOT_BUSY');
    expect(e.details).toMatchObject({ slot: 'device-1', host: 'host-a', runId: held.id });
    expect(e.message).toContain('host-a');
    expect(e.message).toContain(held.id);
    // Through a remote request too: B's daemon refuses, A hears why.
    const remote = await cli('host-a', ['--json', 'run', '--host', 'host-b', '--slot', 'device-1', '--fleet', '--', 'sleep', '300']);
    expect(errorOf(remote)).toMatchObject({ code: 'SLOT_BUSY', details: { host: 'host-a', runId: held.id } });

    await json('host-a', ['stop', held.id]);
    let got: any;
    await waitUntil(
      async () => {
        const r = await cli('host-b', ['--json', 'run', '--slot', 'device-1', '--fleet', '--', 'sleep', '300']);
        if (r.code === 0) got = JSON.parse(r.stdout).run;
        else expect(errorOf(r).code).toBe('SLOT_BUSY');
        return r.code === 0;
      },
      'host-b to get the slot',
      100,
      200,
    );
    home('host-b').track(got);
    const [lease] = await sql(`SELECT host, run_id FROM ${FLEET_SCHEMA}.slot_leases WHERE slot = 'device-1'`);
    expect(lease).toEqual({ host: 'host-b', run_id: got.id });
    await json('host-b', ['stop', got.id]);
  }, 120_000);

  it('refuses a fleet slot and a remote command with FLEET_UNAVAILABLE while the database is down; nothing starts', async () => {
    const runsBefore = (await json<{ runs: any[] }>('host-a', ['ps', '--all'])).runs.length;
    cluster.kill();
    try {
      const slot = await cli('host-a', ['--json', 'run', '--slot', 'device-2', '--fleet', '--', 'sleep', '300']);
      expect(slot.code).not.toBe(0);
      expect(errorOf(slot).code).toBe('FLEET_UNAVAILABLE');
      const remote = await cli('host-a', ['--json', 'run', '--host', 'host-b', '--', 'sleep', '300']);
      expect(errorOf(remote).code).toBe('FLEET_UNAVAILABLE');
      expect((await json<{ runs: any[] }>('host-a', ['ps', '--all'])).runs.length).toBe(runsBefore);
    } finally {
      cluster.start();
    }
  }, 120_000);
});
