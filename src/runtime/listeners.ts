/**
 * Listening TCP sockets from /proc/net/tcp and /proc/net/tcp6, parsed, and
 * matched to a ready check's port and host. Pure: the reading is done by
 * port-owner.ts. A listener is known by its socket inode, which is what
 * /proc/<pid>/fd/* links to (`socket:[inode]`), so it can be tied to a pid.
 */
import { isIP } from 'node:net';

export interface Listener {
  /** Canonical address as URL hostnames print it: `127.0.0.1`, `[::1]`, `[::]`. */
  address: string;
  port: number;
  uid: number;
  inode: string;
}

/** TCP_LISTEN in include/net/tcp_states.h. */
const LISTEN = '0A';

/**
 * The LISTEN rows of a /proc/net/tcp or tcp6 table. Addresses are hex in
 * the kernel's byte order: each 32-bit word is little-endian on the
 * machines we run on (x86, arm64), so bytes are reversed per word.
 */
export function parseListeners(text: string): Listener[] {
  const out: Listener[] = [];
  for (const row of text.split('\n').slice(1)) {
    const f = row.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    if (f.length < 10 || f[3] !== LISTEN) continue;
    const [hexAddr, hexPort] = f[1]!.split(':');
    const address = decodeAddress(hexAddr ?? '');
    if (!address || !hexPort) continue;
    out.push({ address, port: parseInt(hexPort, 16), uid: Number(f[7]), inode: f[9]! });
  }
  return out;
}

function decodeAddress(hex: string): string | undefined {
  if (!/^([0-9A-Fa-f]{8}){1,4}$/.test(hex) || (hex.length !== 8 && hex.length !== 32)) return undefined;
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = hex.slice(w, w + 8);
    for (let b = 6; b >= 0; b -= 2) bytes.push(parseInt(word.slice(b, b + 2), 16));
  }
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return canonical(groups.join(':'));
}

/** One spelling per address (`::1`, `::ffff:7f00:1`), via the URL parser's normalization. */
function canonical(address: string): string {
  return isIP(address) === 6 ? new URL(`http://[${address}]`).hostname : address;
}

const WILDCARDS = new Set(['0.0.0.0', '[::]']);

/**
 * The listeners a connection to `host:port` could reach: same port, and
 * bound to the host's address, its IPv4-mapped form, or a wildcard. A host
 * name (e.g. `localhost`) could resolve to anything, so it matches every address.
 */
export function listenersFor(all: readonly Listener[], port: number, host = '127.0.0.1'): Listener[] {
  const kind = isIP(host);
  const forms = new Set<string>();
  if (kind === 4) forms.add(host).add(canonical(`::ffff:${host}`));
  if (kind === 6) forms.add(canonical(host));
  return all.filter((l) => l.port === port && (kind === 0 || WILDCARDS.has(l.address) || forms.has(l.address)));
}

/** The inode of a `/proc/<pid>/fd/N` link target `socket:[12345]`, or undefined. */
export function socketInode(linkTarget: string): string | undefined {
  return /^socket:\[(\d+)\]$/.exec(linkTarget)?.[1];
}
