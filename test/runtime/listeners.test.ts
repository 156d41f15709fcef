import { describe, expect, it } from 'vitest';
import { listenersFor, parseListeners, socketInode } from '../../src/runtime/listeners.js';

const HEAD = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const row = (addr: string, st: string, uid: number, inode: number): string =>
  `   0: ${addr} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000  ${uid}        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;

describe('parseListeners', () => {
  it('keeps LISTEN rows only and decodes little-endian IPv4 addresses and hex ports', () => {
    const text = HEAD + row('0100007F:1F90', '0A', 1000, 111) + row('0100007F:8F6E', '06', 1000, 0) + row('00000000:07E8', '0A', 0, 222);
    expect(parseListeners(text)).toEqual([
      { address: '127.0.0.1', port: 8080, uid: 1000, inode: '111' },
      { address: '0.0.0.0', port: 2024, uid: 0, inode: '222' },
    ]);
  });

  it('decodes IPv6 rows (::1, ::, ::ffff:127.0.0.1) to one canonical spelling', () => {
    const text =
      HEAD +
      row('00000000000000000000000001000000:1F90', '0A', 1, 1) +
      row('00000000000000000000000000000000:1F90', '0A', 1, 2) +
      row('0000000000000000FFFF00000100007F:1F90', '0A', 1, 3);
    expect(parseListeners(text).map((l) => l.address)).toEqual(['[::1]', '[::]', '[::ffff:7f00:1]']);
  });

  it('ignores malformed rows and an empty table', () => {
    expect(parseListeners('')).toEqual([]);
    expect(parseListeners(HEAD + '   0: zz:1 0 0A\n' + row('XYZ:0050', '0A', 0, 9))).toEqual([]);
  });
});

describe('listenersFor', () => {
  const all = [
    { address: '127.0.0.1', port: 80, uid: 0, inode: 'a' },
    { address: '0.0.0.0', port: 80, uid: 0, inode: 'b' },
    { address: '10.0.0.5', port: 80, uid: 0, inode: 'c' },
    { address: '[::]', port: 80, uid: 0, inode: 'd' },
    { address: '[::ffff:7f00:1]', port: 80, uid: 0, inode: 'e' },
    { address: '127.0.0.1', port: 81, uid: 0, inode: 'f' },
  ];
  const inodes = (port: number, host?: string): string[] => listenersFor(all, port, host).map((l) => l.inode);

  it('matches the host address, its IPv4-mapped form and wildcards on the same port (default host 127.0.0.1)', () => {
    expect(inodes(80)).toEqual(['a', 'b', 'd', 'e']);
    expect(inodes(80, '10.0.0.5')).toEqual(['b', 'c', 'd']);
    expect(inodes(80, '::1')).toEqual(['b', 'd']);
  });

  it('a host name matches every address of the port', () => {
    expect(inodes(80, 'localhost')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(inodes(82, 'localhost')).toEqual([]);
  });
});

it('socketInode reads fd link targets of sockets only', () => {
  expect(socketInode('socket:[4242]')).toBe('4242');
  expect(socketInode('pipe:[4242]')).toBeUndefined();
  expect(socketInode('/dev/null')).toBeUndefined();
});
