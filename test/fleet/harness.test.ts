import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';

describe.skipIf(!pgAvailable)('private PostgreSQL cluster', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 120_000);
  afterAll(() => cluster?.stop(), 120_000);

  it('accepts connections, and comes back after an immediate stop', async () => {
    const ask = async () => {
      const client = new pg.Client(cluster.url);
      await client.connect();
      try {
        return (await client.query('select 1 as one')).rows[0].one as number;
      } finally {
        await client.end();
      }
    };
    expect(await ask()).toBe(1);
    cluster.kill();
    await expect(ask()).rejects.toThrow();
    cluster.start();
    expect(await ask()).toBe(1);
  });
});
