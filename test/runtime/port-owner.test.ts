/** findPortOwner on the real /proc: the test process holds a port; a child of it does not. */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePortHolder, findPortOwner } from '../../src/runtime/port-owner.js';
import { identityOf } from '../../src/runtime/proc.js';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('findPortOwner', () => {
  it("is ours for the holder's own tree, and foreign, naming pid and command, for another process", async () => {
    const self = (await identityOf(process.pid))!;
    expect(await findPortOwner(port, undefined, { ...self, pgid: process.pid })).toEqual({ state: 'ours', pid: process.pid });
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const other = await findPortOwner(port, '127.0.0.1', (await identityOf(child.pid!))!);
      expect(other).toMatchObject({ state: 'foreign', pid: process.pid, uid: process.getuid!() });
      expect(other.state === 'foreign' && other.command).toContain(process.execPath);
      expect(describePortHolder(port, other as Extract<typeof other, { state: 'foreign' }>)).toMatch(
        new RegExp(`^port ${port} is held by pid ${process.pid} \\(`),
      );
    } finally {
      process.kill(-child.pid!, 'SIGKILL');
    }
  });

  it('is none for a port nobody listens on', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    expect(await findPortOwner(free, undefined, (await identityOf(process.pid))!)).toEqual({ state: 'none' });
  });
});
