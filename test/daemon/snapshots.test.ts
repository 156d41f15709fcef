/** Live snapshots: written every N events and on shutdown, so read-only CLIs start from a recent fold. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/daemon/logger.js';
import { startLiveSnapshots } from '../../src/daemon/snapshots.js';
import { DEFAULT_PROJECTION_NAME } from '../../src/projections/catch-up.js';
import { openLedger } from '../../src/store/level-store.js';
import { sleepSpec, TestHome, until } from './helpers.js';

let t: TestHome;
beforeEach(() => {
  t = new TestHome();
});
afterEach(() => t.cleanup());

describe('live snapshots', () => {
  it('writes the supervisor state as the projection snapshot, and a final one on shutdown', async () => {
    const { daemon, client } = await t.openInProcess();
    const extra = startLiveSnapshots({
      store: daemon.context.store,
      supervisor: daemon.context.supervisor,
      log: createLogger(() => undefined),
      everyEvents: 2,
    });
    const { run } = await client.request<{ run: { id: string; attempts: { pgid: number | null }[] } }>('POST', '/v1/runs', {
      spec: sleepSpec(),
    });
    t.trackRun(run as never);
    await until(async () => ((await daemon.context.store.readSnapshot<unknown>(DEFAULT_PROJECTION_NAME))?.position ?? 0) >= 2);
    await extra.finish();
    await client.request('POST', `/v1/runs/${run.id}/stop`, { force: true, wait: true });
    await daemon.stop();
    const store = await openLedger({ dir: join(t.home, 'ledger') });
    try {
      const snap = await store.readSnapshot<unknown>(DEFAULT_PROJECTION_NAME);
      const head = await store.head();
      // The final snapshot is taken after SupervisorStopped was appended.
      expect(snap?.position).toBe(head.position);
    } finally {
      await store.close();
    }
  });
});
