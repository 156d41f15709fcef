/**
 * The daemon's Unix socket, private to its user: created under umask 0177
 * (Node would make it 0755), chmod 0600 after. We never listen over a path
 * that is a symlink, someone else's file, or a socket a live daemon answers
 * on; a stale socket of ours is removed only after nobody answered on it.
 */
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import type { Server } from 'node:http';
import { RunledgerError } from '../errors.js';
import { assertPrivateDir } from './home.js';

/** Make `socket` safe to listen on, or throw UNSAFE_SOCKET / DAEMON_RUNNING. */
export async function prepareSocketPath(socket: string, home: string): Promise<void> {
  const dir = dirname(socket);
  if (dir !== home) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    assertPrivateDir(dir, 'socket directory');
  }
  const st = lstatOrUndefined(socket);
  if (!st) return;
  if (st.isSymbolicLink()) throw unsafe(socket, 'is a symlink');
  if (st.uid !== process.getuid?.()) throw unsafe(socket, `is owned by uid ${st.uid}`);
  if (!st.isSocket()) throw unsafe(socket, 'exists and is not a socket');
  if (await answersSteadily(socket)) throw new RunledgerError('DAEMON_RUNNING', `a daemon already listens on ${socket}`, { socket });
  unlinkSync(socket);
}

/** Listen on `socket` with mode 0600 from the first moment (no window where it is world-accessible). */
export async function listenPrivately(server: Server, socket: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const old = process.umask(0o177);
    try {
      // bind(2) happens synchronously inside listen() for a Unix socket, so the umask covers it and no other file.
      server.listen(socket, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      process.umask(old);
    }
  });
  chmodSync(socket, 0o600);
}

/** Remove the socket if it is still ours (a successor may already have replaced it). */
export function removeSocket(socket: string, inode: number | undefined): void {
  const st = lstatOrUndefined(socket);
  if (st && st.isSocket() && (inode === undefined || st.ino === inode)) unlinkSync(socket);
}

export function inodeOf(path: string): number | undefined {
  return lstatOrUndefined(path)?.ino;
}

/**
 * A dying daemon's socket can still accept for a moment after its ledger
 * lock is gone (both close as its last thread exits): only a socket that
 * keeps accepting belongs to a live daemon.
 */
async function answersSteadily(socket: string, probes = 10, gapMs = 30): Promise<boolean> {
  for (let i = 0; i < probes; i++) {
    if (!(await answers(socket))) return false;
    await new Promise((r) => setTimeout(r, gapMs));
  }
  return true;
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(socket);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function unsafe(socket: string, why: string): RunledgerError {
  return new RunledgerError('UNSAFE_SOCKET', `refusing to use the socket path ${socket}: it ${why}`, { socket });
}
