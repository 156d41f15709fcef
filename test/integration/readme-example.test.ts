/** The README's library example, with a server that really listens: the documented API must work as shown. */
import { createServer } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { openEmbedded } from '../../src/index.js';
import { Harness } from './support.js';

const h = new Harness();
afterEach(() => h.cleanup());

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

it('runs the README library example', async () => {
  const port = await freePort();
  const { supervisor, close } = await openEmbedded({ home: h.home(), gitInfo: false });
  try {
    const { run } = await supervisor.start({
      command: 'node',
      args: ['-e', `require('net').createServer().listen(${port}, '127.0.0.1')`],
      ready: { port, timeout: '20s' },
      restart: { policy: 'on-failure', maxRestarts: 3 },
      owner: { session: 'agent-42', turn: '7' },
      env: { API_TOKEN: 'not-for-the-log' },
    });
    h.trackRun(run);
    expect((await supervisor.wait(run.id, 'ready')).status).toBe('running');
    const seen: string[] = [];
    const sub = supervisor.runs$.subscribe((r) => seen.push(`${r.shortId} ${r.status}`));
    const report = await supervisor.interrupt({ session: 'agent-42' });
    expect(report.signaled.map((r) => r.id)).toEqual([run.id]);
    expect((await supervisor.wait(run.id)).status).toBe('interrupted');
    expect(seen).toContain(`${run.shortId} interrupted`);
    sub.unsubscribe();
    expect(supervisor.get(run.id).spec.env.API_TOKEN).toBe('[REDACTED]');
  } finally {
    await close();
  }
});
