/**
 * Follows one rotating log (`stdout.log`, rotated to `stdout.log.1..K`) and
 * turns it into lines. It holds the open file, so when the shim renames it
 * away the rest of it is still read before moving on to the new file.
 * A pump of an unchanged file is one stat() and allocates no read buffer:
 * with hundreds of idle logs followed, that is what the daemon does most.
 * Known limit: if the file rotates twice between two pumps, the middle
 * file's lines are skipped (the shim never waits for readers, by design).
 */
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';

const CHUNK = 64 * 1024;
/** A "line" without a newline is cut here so a newline-free flood cannot grow memory. */
const MAX_LINE = 64 * 1024;
/** Read buffers are lent for one drain and kept for reuse, at most this many, however many logs are followed. */
const SPARE_BUFFERS = 4;
const spare: Buffer[] = [];

export class FileFollower {
  private handle: FileHandle | undefined;
  private ino = -1;
  private position = 0;
  private decoder = new StringDecoder('utf8');
  private partial = '';
  private closed = false;
  private readonly path: string;

  constructor(
    private readonly dir: string,
    private readonly base: string,
    private readonly emit: (line: string) => void,
  ) {
    this.path = join(dir, base);
  }

  /** Read what rotation already pushed aside, oldest first, so output starts at the beginning. */
  async readRotated(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const pattern = new RegExp(`^${this.base.replace('.', '\\.')}\\.(\\d+)$`);
    const rotated = names
      .map((n) => ({ n, i: Number(pattern.exec(n)?.[1] ?? NaN) }))
      .filter((r) => !Number.isNaN(r.i))
      .sort((a, b) => b.i - a.i);
    for (const r of rotated) {
      if (this.closed) return;
      const handle = await open(join(this.dir, r.n), 'r').catch(() => undefined);
      if (!handle) continue;
      try {
        await this.drain(handle, 0);
      } finally {
        await handle.close().catch(() => undefined);
      }
    }
  }

  /** Read everything new, switching to the fresh file when the current one was rotated away. */
  async pump(): Promise<void> {
    while (!this.closed) {
      if (!this.handle && !(await this.openCurrent())) return;
      const handle = this.handle as FileHandle;
      const now = await stat(this.path).catch(() => undefined);
      if (this.closed) return;
      if (now && now.ino === this.ino) {
        if (now.size > this.position) this.position = await this.drain(handle, this.position);
        return;
      }
      // Rotated (or removed): what was written to the old file before the rename is still in it.
      this.position = await this.drain(handle, this.position);
      if (this.handle === handle) this.handle = undefined;
      await handle.close().catch(() => undefined);
      if (!now) return;
    }
  }

  /** Emit a last line that had no newline. */
  flush(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.length > 0) this.emit(rest.replace(/\r$/, ''));
  }

  /** Stop for good: a pump or readRotated in flight closes whatever it opens and emits nothing more. */
  async close(): Promise<void> {
    this.closed = true;
    const handle = this.handle;
    this.handle = undefined;
    // FileHandle.close waits for a read in flight, so the fd is released only once nothing uses it.
    await handle?.close().catch(() => undefined);
  }

  private async openCurrent(): Promise<boolean> {
    const handle = await open(this.path, 'r').catch(() => undefined);
    if (!handle) return false;
    const ino = await handle.stat().then(
      (s) => s.ino,
      () => undefined,
    );
    if (this.closed || ino === undefined) {
      await handle.close().catch(() => undefined);
      return false;
    }
    this.handle = handle;
    this.ino = ino;
    this.position = 0;
    return true;
  }

  private async drain(handle: FileHandle, from: number): Promise<number> {
    const buf = spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
    let position = from;
    try {
      while (!this.closed) {
        const { bytesRead } = await handle.read(buf, 0, CHUNK, position);
        if (bytesRead === 0 || this.closed) break;
        position += bytesRead;
        this.split(this.decoder.write(buf.subarray(0, bytesRead)));
      }
    } catch (err) {
      if (!this.closed) throw err; // closed under us: the read's failure is expected
    } finally {
      if (spare.length < SPARE_BUFFERS) spare.push(buf);
    }
    return position;
  }

  private split(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      if (this.closed) return; // an emit may close us: nothing more after that
      this.emit(line.replace(/\r$/, ''));
    }
    while (this.partial.length > MAX_LINE) {
      this.emit(this.partial.slice(0, MAX_LINE));
      this.partial = this.partial.slice(MAX_LINE);
    }
  }
}
