/**
 * Commands on another host's runs by name, with two real daemons on one
 * private PostgreSQL: `stop`/`restart --host B NAME` act on B's newest
 * active run of that name (never on a run of that name elsewhere), a name
 * active twice on B is AMBIGUOUS_ID listing both and stops nothing, a typo
 * among several ids stops nothing, and `--all-hosts NAME` finds the one
 * active run of that name in the fleet and sends the command to its host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, waitUntil } from '../cli/helpers.js';
import { pgAvailable } from '../support/pg-cluster.js';
import { errorOf, startFleetHosts, type FleetHosts } from '../support/fleet-hosts.js';

describe.skipIf(!pgAvailable)('commands on another host by run name', () => {
  let fleet: FleetHosts;
  const showOn = async (host: string, id: string) => (await fleet.json(host, ['show', id])).run;

  beforeAll(async () => {
    fleet = await startFleetHosts(['host-a', 'host-b']);
    for (const h of ['host-a', 'host-b']) {
      await fleet.start(h, ['--name', `hello-${h}`, '--', 'true']);
      await fleet.daemonUp(h);
    }
  }, 120_000);
  afterAll(() => fleet?.cleanup(), 120_000);

  it("stop and restart --host B NAME act on B's newest active run of that name, not on another host's", async () => {
    const ended = await fleet.start('host-b', ['--name', 'web', '--', 'true']);
    await waitUntil(async () => (await showOn('host-b', ended.id)).status === 'completed', 'the first web to end', 200, 50);
    const live = await fleet.start('host-b', ['--name', 'web', '--', 'sleep', '300']);
    const onA = await fleet.start('host-a', ['--name', 'web', '--', 'sleep', '300']);

    const restarted = await fleet.json('host-a', ['restart', '--host', 'host-b', 'web']);
    expect(restarted).toMatchObject({ host: 'host-b', run: { id: live.id } });
    await waitUntil(async () => (await showOn('host-b', live.id)).attempts.length === 2, 'the second attempt on host-b', 200, 50);
    fleet.home('host-b').track(await showOn('host-b', live.id));

    const stopped = await fleet.json('host-a', ['stop', '--host', 'host-b', 'web']);
    expect(stopped.runs.map((r: any) => r.id)).toEqual([live.id]);
    expect(['stopped', 'killed']).toContain(stopped.runs[0].status);
    expect((await showOn('host-a', onA.id)).status).toBe('running');
    expect(isAlive(onA.attempts[0].pid)).toBe(true);
    expect((await showOn('host-b', ended.id)).attempts).toHaveLength(1);

    // --all-hosts: the fleet's one active run named web is host-a's; from host-b the command goes there.
    await waitUntil(
      async () => (await fleet.json('host-b', ['show', '--all-hosts', live.id])).run.status === stopped.runs[0].status,
      "host-b's stop to reach the fleet",
      600,
      100,
    );
    const viaFleet = await fleet.json('host-b', ['stop', '--all-hosts', 'web']);
    expect(viaFleet).toMatchObject({ host: 'host-a', runs: [{ id: onA.id }] });
    expect(['stopped', 'killed']).toContain((await showOn('host-a', onA.id)).status);
  }, 120_000);

  it('a name active twice on B is AMBIGUOUS_ID listing both; a typo among several ids stops nothing', async () => {
    const one = await fleet.start('host-b', ['--name', 'dup', '--', 'sleep', '300']);
    const two = await fleet.start('host-b', ['--name', 'dup', '--', 'sleep', '300']);

    const ambiguous = await fleet.cli('host-a', ['--json', 'stop', '--host', 'host-b', 'dup']);
    expect(ambiguous.code).toBe(1);
    const e = errorOf(ambiguous);
    expect(e.code).toBe('AMBIGUOUS_ID');
    expect(e.details.targetHost).toBe('host-b');
    expect(e.details.candidates.map((c: any) => c.id).sort()).toEqual([one.id, two.id].sort());
    expect(e.message).toContain(one.shortId);
    expect(e.message).toContain(two.shortId);

    const typo = await fleet.cli('host-a', ['--json', 'stop', '--host', 'host-b', one.shortId, 'zzzzzzz']);
    expect(errorOf(typo).code).toBe('RUN_NOT_FOUND');

    for (const run of [one, two]) {
      expect((await showOn('host-b', run.id)).status).toBe('running');
      expect(isAlive(run.attempts[0].pid)).toBe(true);
    }
    const both = await fleet.json('host-a', ['stop', '--host', 'host-b', one.shortId, two.id]);
    expect(both.runs.map((r: any) => r.id)).toEqual([one.id, two.id]);
  }, 120_000);
});
