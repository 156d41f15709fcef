/** The socket is 0600 and the home 0700; unsafe socket paths are refused, stale ones of ours replaced. */
import { chmodSync, chownSync, existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectDaemon } from '../../src/daemon/client.js';
import { openDaemon } from '../../src/daemon/foreground.js';
import { daemonPaths, ensureHome, MAX_SOCKET_PATH_BYTES, resolveHome } from '../../src/daemon/home.js';
import { createLogger } from '../../src/daemon/logger.js';
import { isRunledgerError } from '../../src/errors.js';
import { TestHome } from './helpers.js';

let t: TestHome;
beforeEach(() => {
  t = new TestHome();
});
afterEach(() => t.cleanup());

const quiet = createLogger(() => undefined);

async function openError(home: string, env?: NodeJS.ProcessEnv): Promise<unknown> {
  return openDaemon(home, { handleSignals: false, log: quiet, ...(env ? { env } : {}) }).then(
    async (d) => {
      await d.stop();
      return undefined;
    },
    (e: unknown) => e,
  );
}

describe('home and socket permissions', () => {
  it('creates the home 0700 and the socket 0600', async () => {
    const home = join(t.home, 'nested', 'home');
    const d = await openDaemon(home, { handleSignals: false, log: quiet });
    t.inProcess.push(d);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const socket = daemonPaths(home).socket;
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    await d.stop();
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(daemonPaths(home).pid)).toBe(false);
  });

  it('tightens a home that others could read', () => {
    chmodSync(t.home, 0o755);
    expect(ensureHome(t.home).tightenedFrom).toBe(0o755);
    expect(statSync(t.home).mode & 0o777).toBe(0o700);
  });

  it('refuses a socket path that is a symlink', async () => {
    symlinkSync(join(t.home, 'elsewhere.sock'), daemonPaths(t.home).socket);
    const err = await openError(t.home);
    expect(isRunledgerError(err, 'UNSAFE_SOCKET')).toBe(true);
    expect(await connectDaemon(t.home)).toBeNull();
  });

  it('refuses a socket path owned by another user', async () => {
    if (process.getuid?.() !== 0) return; // only root can make a file someone else's
    const socket = daemonPaths(t.home).socket;
    writeFileSync(socket, '');
    chownSync(socket, 65534, 65534);
    expect(isRunledgerError(await openError(t.home), 'UNSAFE_SOCKET')).toBe(true);
  });

  it('refuses a home owned by another user', async () => {
    if (process.getuid?.() !== 0) return;
    const home = join(t.home, 'theirs');
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, 65534, 65534);
    expect(isRunledgerError(await openError(home), 'UNSAFE_SOCKET')).toBe(true);
  });

  it('replaces a stale socket of ours, but not one a live server answers on', async () => {
    const socket = daemonPaths(t.home).socket;
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(socket, r));
    expect(isRunledgerError(await openError(t.home), 'DAEMON_RUNNING')).toBe(true);
    await new Promise<void>((r) => squatter.close(() => r()));
    // A clean close unlinks the socket; a process killed with SIGKILL leaves a dead one behind, as a crashed daemon does.
    const child = spawn(
      process.execPath,
      ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((r) => child.stdout.once('data', r));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(statSync(socket).isSocket()).toBe(true);
    const { client } = await t.openInProcess();
    expect(client.status.running).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
  });

  it('moves the socket to $XDG_RUNTIME_DIR when the home path is too long for sun_path', async () => {
    const home = join(t.home, 'x'.repeat(60), 'y'.repeat(60));
    const env = { ...process.env, XDG_RUNTIME_DIR: join(t.home, 'run') };
    const paths = daemonPaths(home, env);
    expect(Buffer.byteLength(join(home, 'daemon.sock'))).toBeGreaterThan(MAX_SOCKET_PATH_BYTES);
    expect(paths.socket.startsWith(join(t.home, 'run', 'runledger') + '/')).toBe(true);
    const d = await openDaemon(home, { handleSignals: false, log: quiet, env });
    t.inProcess.push(d);
    expect(statSync(paths.socket).mode & 0o777).toBe(0o600);
    expect(statSync(join(t.home, 'run', 'runledger')).mode & 0o777).toBe(0o700);
    expect((await connectDaemon(home, { env }))?.status.home).toBe(home);
  });

  it('resolves the home from --home, $RUNLEDGER_HOME, $XDG_STATE_HOME, then ~/.local/state', () => {
    expect(resolveHome({ home: '/a', env: { RUNLEDGER_HOME: '/b' } })).toBe('/a');
    expect(resolveHome({ env: { RUNLEDGER_HOME: '/b', XDG_STATE_HOME: '/c' } })).toBe('/b');
    expect(resolveHome({ env: { XDG_STATE_HOME: '/c' } })).toBe('/c/runledger');
    expect(resolveHome({ env: { HOME: '/home/u', XDG_STATE_HOME: 'relative' } })).toBe('/home/u/.local/state/runledger');
  });
});
