/**
 * The replicator against a real PostgreSQL: every local event reaches the
 * fleet once, in order, with its host chain verifiable there; a database
 * that goes away and comes back, and a replicator that dies and restarts,
 * lose nothing and duplicate nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openFleetStore } from '../../src/fleet/open-fleet.js';
import { startReplicator, type Replicator } from '../../src/fleet/replicator.js';
import { verifyHostChains } from '../../src/fleet/host-chain.js';
import { FLEET_SCHEMA } from '../../src/fleet/schema.js';
import { openLedger } from '../../src/store/level-store.js';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { makeTempDir, removeDir, started } from '../store/helpers.js';

let cluster: PgCluster;
let n = 0;
async function freshDatabase(): Promise<string> {
  const admin = new pg.Client(cluster.url);
  await admin.connect();
  await admin.query(`CREATE DATABASE r${++n}`);
  await admin.end();
  return cluster.url.replace(/\/postgres$/, `/r${n}`);
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function fleetRows(url: string, host: string): Promise<number[]> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    const { rows } = await c.query(`SELECT local_position FROM ${FLEET_SCHEMA}.origins WHERE host = $1 ORDER BY position`, [host]);
    return rows.map((r) => Number(r.local_position));
  } finally {
    await c.end();
  }
}

describe.skipIf(!pgAvailable)('replicator', () => {
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 120_000);
  afterAll(() => cluster?.stop(), 120_000);

  it('ships every local event once, in local order, through a database outage and a replicator restart', async () => {
    const url = await freshDatabase();
    const dir = await makeTempDir();
    const local = await openLedger({ dir });
    let rep: Replicator = startReplicator({ local, url, host: 'alpha', pageSize: 7, heartbeatMs: 200 });
    try {
      for (let i = 0; i < 30; i++) await local.append(`run-${i % 4}`, [started(i)]);
      await until('the first 30 events shipped', async () => rep.status().synced);

      cluster.kill();
      // Local appends never wait on the fleet.
      for (let i = 30; i < 60; i++) await local.append(`run-${i % 4}`, [started(i)]);
      // The local head is read on its own 100 ms clock: under load the error may show before the lag does.
      await until('the outage to show', async () => rep.status().lastError?.code === 'FLEET_UNAVAILABLE' && rep.status().lag > 0);
      expect(rep.status().lag).toBeGreaterThan(0);
      cluster.start();
      await until('catching up after the outage', async () => rep.status().synced);

      // A replicator that dies and starts again resumes from what the fleet holds.
      await rep.stop();
      for (let i = 60; i < 70; i++) await local.append(`run-${i % 4}`, [started(i)]);
      rep = startReplicator({ local, url, host: 'alpha', pageSize: 7 });
      await until('catching up after a restart', async () => rep.status().synced);

      expect(await fleetRows(url, 'alpha')).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
      const fleet = await openFleetStore({ url, watch: false });
      try {
        expect((await fleet.verify()).ok).toBe(true);
        const [chain] = await verifyHostChains(fleet.backend);
        expect(chain).toMatchObject({ host: 'alpha', ok: true, checked: 70, head: await local.head() });
        const ids = (await fleet.readAll()).map((e) => e.id);
        expect(ids).toEqual((await local.readAll()).map((e) => e.id));
      } finally {
        await fleet.close();
      }
    } finally {
      await rep.stop();
      await local.close();
      await removeDir(dir);
    }
  }, 90_000);

  it('refuses a second ledger under a host name the fleet already holds', async () => {
    const url = await freshDatabase();
    const [d1, d2] = [await makeTempDir(), await makeTempDir()];
    const [l1, l2] = [await openLedger({ dir: d1 }), await openLedger({ dir: d2 })];
    await l1.append('s', [started(1)]);
    await l2.append('s', [started(2)]);
    const r1 = startReplicator({ local: l1, url, host: 'same' });
    try {
      await until('the first ledger shipped', async () => r1.status().synced);
      const r2 = startReplicator({ local: l2, url, host: 'same' });
      await until('the conflict', async () => r2.status().lastError?.code === 'FLEET_HOST_CONFLICT');
      await r2.stop();
      expect(await fleetRows(url, 'same')).toEqual([1]);
    } finally {
      await r1.stop();
      await Promise.all([l1.close(), l2.close()]);
      await Promise.all([removeDir(d1), removeDir(d2)]);
    }
  });

  it('a hand-edited host record in the fleet fails that host chain', async () => {
    const url = await freshDatabase();
    const dir = await makeTempDir();
    const local = await openLedger({ dir });
    for (let i = 0; i < 3; i++) await local.append('s', [started(i)]);
    const rep = startReplicator({ local, url, host: 'beta' });
    try {
      await until('shipped', async () => rep.status().synced);
      const c = new pg.Client(url);
      await c.connect();
      await c.query(
        `UPDATE ${FLEET_SCHEMA}.origins SET local_json = replace(local_json, '"pid":1001', '"pid":1999') WHERE local_position = 2`,
      );
      await c.end();
      const fleet = await openFleetStore({ url, watch: false });
      const [chain] = await verifyHostChains(fleet.backend);
      await fleet.close();
      expect(chain).toMatchObject({ ok: false, firstBad: { localPosition: 2 } });
    } finally {
      await rep.stop();
      await local.close();
      await removeDir(dir);
    }
  });
});
