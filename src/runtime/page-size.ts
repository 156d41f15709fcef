/**
 * The kernel's page size, for /proc's RSS in pages. Node has no sysconf; the
 * first mapping in /proc/self/smaps names it (`KernelPageSize: 4 kB`), and
 * 4 KiB (x86-64, most arm64 kernels) is the answer when that cannot be read.
 */
import { closeSync, openSync, readSync } from 'node:fs';

let cached: number | undefined;

/** Pure: the page size an smaps text names, in bytes. */
export function parseKernelPageSize(text: string): number | undefined {
  const m = /^KernelPageSize:\s+(\d+) kB$/m.exec(text);
  return m ? Number(m[1]) * 1024 : undefined;
}

export function pageSize(): number {
  if (cached === undefined) cached = readPageSize() ?? 4096;
  return cached;
}

function readPageSize(): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync('/proc/self/smaps', 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return parseKernelPageSize(buf.toString('utf8', 0, n));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
