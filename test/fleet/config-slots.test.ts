/**
 * Slots declared fleet-wide in the home's config (`fleet.slots`), with two
 * real daemons on one private PostgreSQL: a declared slot is leased without
 * --fleet whichever way the run is asked for (run, a template, a request
 * from another host), SLOT_BUSY names the holding host and run, a key still
 * reuses its active run, slots not declared stay local, a rerun of a
 * --fleet run is leased again, and a database out
 * of reach refuses the start (FLEET_UNAVAILABLE) with nothing recorded. A
 * daemon outside a fleet refuses a declared slot with FLEET_NOT_CONFIGURED.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { FLEET_SCHEMA } from '../../src/fleet/schema.js';
import { Home, waitUntil } from '../cli/helpers.js';
import { pgAvailable } from '../support/pg-cluster.js';
import { errorOf, startFleetHosts, type FleetHosts } from '../support/fleet-hosts.js';

const HOSTS = ['host-a', 'host-b'] as const;
const DECLARED = { fleet: { slots: ['phone-7', 'gpu*'] } };
const writeConfig = (dir: string, config: unknown) => writeFileSync(join(dir, 'runledger.config.json'), JSON.stringify(config));

describe.skipIf(!pgAvailable)('slots declared fleet-wide in the config', () => {
  let fleet: FleetHosts;
  const project = mkdtempSync(join(tmpdir(), 'rl-project-'));
  const leases = async (): Promise<{ slot: string; host: string; run_id: string }[]> => {
    const c = new pg.Client(fleet.cluster.url);
    await c.connect();
    try {
      return (await c.query(`SELECT slot, host, run_id FROM ${FLEET_SCHEMA}.slot_leases ORDER BY slot`)).rows;
    } finally {
      await c.end();
    }
  };
  const runCount = async (host: string) => (await fleet.json<{ runs: unknown[] }>(host, ['ps', '--all'])).runs.length;

  beforeAll(async () => {
    fleet = await startFleetHosts(HOSTS);
    for (const h of HOSTS) {
      writeConfig(fleet.home(h).dir, DECLARED);
      await fleet.start(h, ['--name', `hello-${h}`, '--', 'true']);
      await fleet.daemonUp(h);
    }
    writeConfig(project, { templates: { flash: { command: 'sleep', args: ['300'], slot: 'gpu0' } } });
  }, 120_000);
  afterAll(async () => {
    await fleet?.cleanup();
    rmSync(project, { recursive: true, force: true });
  }, 120_000);

  it('leases a declared slot without --fleet: SLOT_BUSY on B names A and its run, by run, template or remote request', async () => {
    expect((await fleet.cli('host-a', ['daemon', 'status'])).stdout).toMatch(/^slots     fleet-wide phone-7, gpu\*$/m);
    const held = await fleet.start('host-a', ['--slot', 'gpu0', '--', 'sleep', '300']);
    expect((await leases()).filter((l) => l.slot === 'gpu0')).toEqual([{ slot: 'gpu0', host: 'host-a', run_id: held.id }]);
    const before = await runCount('host-b');

    const busy = await fleet.cli('host-b', ['--json', 'run', '--slot', 'gpu0', '--', 'sleep', '300']);
    expect(busy.code).toBe(1);
    const e = errorOf(busy);
    expect(e).toMatchObject({ code: 'SLOT_BUSY', details: { slot: 'gpu0', host: 'host-a', runId: held.id, fleet: true } });
    expect(e.message).toContain('host-a');
    expect(e.message).toContain(held.id);
    const template = await fleet.home('host-b').cli(['--json', 'run', '-t', 'flash'], { env: fleet.env('host-b'), cwd: project });
    expect(errorOf(template)).toMatchObject({ code: 'SLOT_BUSY', details: { host: 'host-a', runId: held.id } });
    // B's daemon decides with B's config: A asks for no lease, B takes one and is refused.
    const remote = await fleet.cli('host-a', ['--json', 'run', '--host', 'host-b', '--slot', 'gpu0', '--', 'sleep', '300']);
    expect(errorOf(remote)).toMatchObject({ code: 'SLOT_BUSY', details: { host: 'host-a', runId: held.id } });
    expect(await runCount('host-b')).toBe(before);

    // A slot the config does not declare stays each host's own: both run, no lease.
    const localA = await fleet.start('host-a', ['--slot', 'cpu0', '--', 'sleep', '300']);
    const localB = await fleet.start('host-b', ['--slot', 'cpu0', '--', 'sleep', '300']);
    expect((await leases()).map((l) => l.slot)).not.toContain('cpu0');

    // Once A's run ends its lease goes, and B's template takes the slot.
    await fleet.json('host-a', ['stop', held.id]);
    let got: any;
    await waitUntil(
      async () => {
        const r = await fleet.home('host-b').cli(['--json', 'run', '-t', 'flash'], { env: fleet.env('host-b'), cwd: project });
        if (r.code === 0) got = JSON.parse(r.stdout).run;
        else expect(errorOf(r).code).toBe('SLOT_BUSY');
        return r.code === 0;
      },
      'host-b to get the slot',
      100,
      200,
    );
    fleet.home('host-b').track(got);
    expect((await leases()).filter((l) => l.slot === 'gpu0')).toEqual([{ slot: 'gpu0', host: 'host-b', run_id: got.id }]);
    for (const [h, id] of [
      ['host-a', localA.id],
      ['host-b', localB.id],
      ['host-b', got.id],
    ])
      await fleet.json(h!, ['stop', id!]);
  }, 120_000);

  it('a key reuses its active run on a declared slot, as on one host, rather than SLOT_BUSY', async () => {
    const first = await fleet.json('host-a', ['run', '--key', 'flash-k', '--slot', 'phone-7', '--', 'sleep', '300']);
    fleet.home('host-a').track(first.run);
    const again = await fleet.json('host-a', ['run', '--key', 'flash-k', '--slot', 'phone-7', '--', 'sleep', '300']);
    expect(again).toMatchObject({ reused: true, run: { id: first.run.id } });
    expect((await leases()).filter((l) => l.slot === 'phone-7')).toEqual([{ slot: 'phone-7', host: 'host-a', run_id: first.run.id }]);
    await fleet.json('host-a', ['stop', first.run.id]);
  }, 60_000);

  it('a rerun of a --fleet run is leased again: its label carries --fleet', async () => {
    const once = await fleet.start('host-a', ['--slot', 'dev-9', '--fleet', '--', 'true']);
    expect(once.labels['runledger.fleet-slot']).toBe('true');
    await waitUntil(async () => (await fleet.json('host-a', ['show', once.id])).run.status === 'completed', 'the run to end', 200, 50);
    // The lease is given back just after the run's end is recorded, not in the same step.
    await waitUntil(async () => !(await leases()).some((l) => l.slot === 'dev-9'), "the ended run's lease to go", 200, 50);
    const holder = await fleet.start('host-b', ['--slot', 'dev-9', '--fleet', '--', 'sleep', '300']);
    const rerun = await fleet.cli('host-a', ['--json', 'rerun', once.id]);
    expect(errorOf(rerun)).toMatchObject({ code: 'SLOT_BUSY', details: { slot: 'dev-9', host: 'host-b', runId: holder.id } });
    await fleet.json('host-b', ['stop', holder.id]);
  }, 60_000);

  it('refuses a declared slot with FLEET_UNAVAILABLE while the database is down; nothing is recorded', async () => {
    const before = await runCount('host-a');
    fleet.cluster.kill();
    try {
      const refused = await fleet.cli('host-a', ['--json', 'run', '--slot', 'gpu3', '--', 'sleep', '300']);
      expect(refused.code).toBe(1);
      expect(errorOf(refused).code).toBe('FLEET_UNAVAILABLE');
      expect(await runCount('host-a')).toBe(before);
    } finally {
      fleet.cluster.start();
    }
  }, 60_000);
});

describe('slots declared fleet-wide outside a fleet', () => {
  const home = new Home();
  afterAll(() => home.cleanup(), 60_000);

  it('refuses a declared slot (and --fleet) with FLEET_NOT_CONFIGURED; other slots run; an unreadable config refuses slotted starts', async () => {
    writeConfig(home.dir, DECLARED);
    const refused = await home.cli(['--json', 'run', '--slot', 'gpu0', '--', 'sleep', '300']);
    expect(refused.code).toBe(1);
    const e = errorOf(refused);
    expect(e).toMatchObject({ code: 'FLEET_NOT_CONFIGURED', details: { slot: 'gpu0', reason: 'fleet.slots "gpu*"' } });
    expect(e.message).toContain(join(home.dir, 'runledger.config.json'));
    expect(errorOf(await home.cli(['--json', 'run', '--slot', 'cpu0', '--fleet', '--', 'true'])).code).toBe('FLEET_NOT_CONFIGURED');
    expect((await home.json(['daemon', 'status'])).fleetSlots).toEqual(['phone-7', 'gpu*']);
    expect((await home.cli(['daemon', 'status'])).stdout).toContain(
      'slots     fleet-wide phone-7, gpu* (not in a fleet: starts with them fail with FLEET_NOT_CONFIGURED)',
    );
    const local = await home.start(['--slot', 'cpu0', '--', 'true']);
    expect(local.slot).toBe('cpu0');
    expect((await home.json<{ runs: any[] }>(['ps', '--all'])).runs.map((r) => r.slot)).toEqual(['cpu0']);

    writeFileSync(join(home.dir, 'runledger.config.json'), '{ "fleet": { "slots": ["gpu*"] ');
    const unreadable = await home.cli(['--json', 'run', '--slot', 'cpu1', '--', 'true']);
    expect(errorOf(unreadable)).toMatchObject({ code: 'INVALID_CONFIG', details: { file: join(home.dir, 'runledger.config.json') } });
    expect((await home.json(['daemon', 'status'])).fleetSlotsError).toMatchObject({ code: 'INVALID_CONFIG' });
    await home.start(['--', 'true']);
  }, 60_000);

  it("warns that a project config's fleet.slots declares nothing: only the home's counts", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-project-'));
    try {
      writeConfig(dir, { ...DECLARED, templates: { hello: { command: 'true' } } });
      const r = await home.cli(['run', '-t', 'hello'], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`${join(dir, 'runledger.config.json')}: fleet.slots is read from the home's config`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
