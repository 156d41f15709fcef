/**
 * Who listens on a ready check's port: the attempt's own tree, another
 * process, or nobody. A connect() cannot tell (an unrelated server on the
 * port answers just as well), so the socket inode of each LISTEN row is
 * looked up among the fds of the attempt's tree; only when none of them
 * holds it are all processes searched, to name the holder.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import type { PortOwner, ProcessIdentity } from './adapter.js';
import { listenersFor, parseListeners, socketInode, type Listener } from './listeners.js';
import { readAllStats, selectTreePids } from './tree-pids.js';

const COMMAND_BYTES = 200;

async function readListeners(): Promise<Listener[]> {
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((p) => readFile(p, 'utf8').catch(() => '')));
  return tables.flatMap(parseListeners);
}

/** The socket inodes a process holds; empty when it is gone or not ours to read. */
async function socketInodesOf(pid: number): Promise<Set<string>> {
  const dir = `/proc/${pid}/fd`;
  const fds = await readdir(dir).catch(() => [] as string[]);
  const links = await Promise.all(fds.map((fd) => readlink(`${dir}/${fd}`).catch(() => '')));
  return new Set(links.map(socketInode).filter((i): i is string => i !== undefined));
}

async function commandOf(pid: number): Promise<string | undefined> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const cmd = raw.split('\0').filter(Boolean).join(' ');
  return cmd ? cmd.slice(0, COMMAND_BYTES) : undefined;
}

/** Does the attempt's tree, some other process, or nobody listen where `host:port` leads? */
export async function findPortOwner(port: number, host: string | undefined, root: ProcessIdentity): Promise<PortOwner> {
  const listening = listenersFor(await readListeners(), port, host);
  if (listening.length === 0) return { state: 'none' };
  const inodes = new Set(listening.map((l) => l.inode));
  const stats = await readAllStats();
  for (const pid of selectTreePids(stats, root)) {
    for (const inode of await socketInodesOf(pid)) if (inodes.has(inode)) return { state: 'ours', pid };
  }
  for (const s of stats) {
    for (const inode of await socketInodesOf(s.pid)) {
      if (inodes.has(inode)) {
        const command = await commandOf(s.pid);
        return { state: 'foreign', pid: s.pid, uid: listening[0]!.uid, ...(command ? { command } : {}) };
      }
    }
  }
  // Held, but by a process whose fds we may not read (another user's).
  return { state: 'foreign', uid: listening[0]!.uid };
}

/** A readiness failure message naming the holder. */
export function describePortHolder(port: number, owner: Extract<PortOwner, { state: 'foreign' }>): string {
  const who =
    owner.pid === undefined
      ? `a process of uid ${owner.uid} (pid not visible)`
      : `pid ${owner.pid}${owner.command ? ` (${owner.command})` : ''}`;
  return `port ${port} is held by ${who}, not by this attempt's processes`;
}
