/**
 * Follows one rotating log (`stdout.log`, rotated to `stdout.log.1..K`) and
 * turns it into lines. It keeps no descriptor between pumps (a daemon that
 * follows 1,000 runs must not hold 2,000 files open): it remembers the inode
 * and offset it reached, and when the shim renamed that file away it finds it
 * again among the rotated names by inode and reads the rest before moving on.
 * A pump of an unchanged file is one stat() and allocates no read buffer:
 * with hundreds of idle logs followed, that is what the daemon does most.
 * Known limit: a file rotated past the last kept name (or a file that was
 * created and rotated away between two pumps) is skipped: the shim never
 * waits for readers, by design.
 */
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import type { LineStart } from './adapter.js';
import { fdSlots } from './fd-slots.js';

const CHUNK = 64 * 1024;
/** A "line" without a newline is cut here so a newline-free flood cannot grow memory. */
const MAX_LINE = 64 * 1024;
/** Read buffers are lent for one drain and kept for reuse, at most this many, however many logs are followed. */
const SPARE_BUFFERS = 4;
const spare: Buffer[] = [];
/** No file of this inode is being followed yet. */
const NONE = -1;

export class FileFollower {
  /** Inode of the file being read, and how far it was read. */
  private ino = NONE;
  private position = 0;
  private decoder = new StringDecoder('utf8');
  /** Bytes of the line not finished yet, and where it started (its time is looked up by that). */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private lineStart: LineStart = { ino: NONE, offset: 0 };
  private closed = false;
  /** Every handle is closed before the pump that opened it returns; close() waits for that pump. */
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly path: string;

  constructor(
    private readonly dir: string,
    private readonly base: string,
    private readonly emit: (line: string, at: LineStart) => void,
  ) {
    this.path = join(dir, base);
  }

  /** Read what rotation already pushed aside, oldest first, so output starts at the beginning. */
  async readRotated(): Promise<void> {
    return this.track(this.readRotatedOnce());
  }

  /** Read everything new, finishing the file that was rotated away before moving to the fresh one. */
  async pump(): Promise<void> {
    return this.track(this.pumpOnce());
  }

  private track(run: Promise<void>): Promise<void> {
    this.inFlight = run.catch(() => undefined);
    return run;
  }

  private async readRotatedOnce(): Promise<void> {
    for (const name of await this.rotatedNames()) {
      if (this.closed) return;
      await this.drainPath(join(this.dir, name), 0, undefined);
    }
  }

  private async pumpOnce(): Promise<void> {
    while (!this.closed) {
      const now = await stat(this.path).catch(() => undefined);
      if (this.closed) return;
      if (this.ino === NONE) {
        if (!now) return;
        this.ino = now.ino;
        this.position = 0;
      }
      if (now && now.ino === this.ino) {
        if (now.size <= this.position) return;
        const reached = await this.drainPath(this.path, this.position, this.ino);
        // Rotated between stat and open: the inode moved; look for it on the next turn.
        if (reached === undefined) continue;
        this.position = reached;
        return;
      }
      // Rotated (or removed): what was written before the rename is still in the renamed file.
      const moved = await this.findRotated(this.ino);
      if (this.closed) return;
      if (moved) await this.drainPath(moved, this.position, this.ino);
      this.ino = NONE;
      this.position = 0;
      if (!now) return;
    }
  }

  /** Emit a last line that had no newline. */
  flush(): void {
    const rest = this.decoder.write(Buffer.concat(this.partial)) + this.decoder.end();
    this.partial = [];
    this.partialBytes = 0;
    if (rest.length > 0) this.emit(rest.replace(/\r$/, ''), this.lineStart);
  }

  /** Stop for good: a pump or readRotated in flight closes whatever it opens and emits nothing more. */
  async close(): Promise<void> {
    this.closed = true;
    // A read in flight finishes (and closes its handle) before close() resolves.
    await this.inFlight;
  }

  /** Rotated file names, oldest (highest number) first. */
  private async rotatedNames(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const pattern = new RegExp(`^${this.base.replace('.', '\\.')}\\.(\\d+)$`);
    return names
      .map((n) => ({ n, i: Number(pattern.exec(n)?.[1] ?? NaN) }))
      .filter((r) => !Number.isNaN(r.i))
      .sort((a, b) => b.i - a.i)
      .map((r) => r.n);
  }

  /** The rotated file that has inode `ino`, if rotation has not pushed it past the last kept name. */
  private async findRotated(ino: number): Promise<string | undefined> {
    for (const name of (await this.rotatedNames()).reverse()) {
      const path = join(this.dir, name);
      const s = await stat(path).catch(() => undefined);
      if (s?.ino === ino) return path;
    }
    return undefined;
  }

  /**
   * Read `path` from `from` to its end and close it; the new offset, or
   * undefined when the file at `path` is no longer inode `ino` (or is gone).
   */
  private drainPath(path: string, from: number, ino: number | undefined): Promise<number | undefined> {
    return fdSlots.run(() => this.drainPathNow(path, from, ino));
  }

  private async drainPathNow(path: string, from: number, ino: number | undefined): Promise<number | undefined> {
    const handle = await open(path, 'r').catch(() => undefined);
    if (!handle) return undefined;
    try {
      if (this.closed) return undefined;
      const opened = await handle.stat().catch(() => undefined);
      if (!opened || (ino !== undefined && opened.ino !== ino) || this.closed) return undefined;
      return await this.drain(handle, from, opened.ino);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  private async drain(handle: FileHandle, from: number, ino: number): Promise<number> {
    const buf = spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
    let position = from;
    try {
      while (!this.closed) {
        const { bytesRead } = await handle.read(buf, 0, CHUNK, position);
        if (bytesRead === 0 || this.closed) break;
        this.split(buf.subarray(0, bytesRead), ino, position);
        position += bytesRead;
      }
    } catch (err) {
      if (!this.closed) throw err; // closed under us: the read's failure is expected
    } finally {
      if (spare.length < SPARE_BUFFERS) spare.push(buf);
    }
    return position;
  }

  /** Lines are cut at newline bytes (never inside a UTF-8 sequence), so each line's byte offset is exact. */
  private split(bytes: Buffer, ino: number, at: number): void {
    let from = 0;
    if (this.partialBytes === 0) this.lineStart = { ino, offset: at };
    for (let nl = bytes.indexOf(10); nl !== -1; nl = bytes.indexOf(10, nl + 1)) {
      if (this.closed) return; // an emit may close us: nothing more after that
      const piece = bytes.subarray(from, nl);
      const text = this.decoder.write(this.partial.length > 0 ? Buffer.concat([...this.partial, piece]) : piece) + this.decoder.end();
      this.partial = [];
      this.partialBytes = 0;
      this.emit(text.replace(/\r$/, ''), this.lineStart);
      from = nl + 1;
      this.lineStart = { ino, offset: at + from };
    }
    if (from < bytes.length) {
      this.partial.push(Buffer.from(bytes.subarray(from)));
      this.partialBytes += bytes.length - from;
    }
    while (this.partialBytes > MAX_LINE && !this.closed) {
      const whole = Buffer.concat(this.partial);
      // Cut at the cap; the decoder keeps a character split by the cut for the next piece.
      this.emit(this.decoder.write(whole.subarray(0, MAX_LINE)), this.lineStart);
      this.partial = [whole.subarray(MAX_LINE)];
      this.partialBytes = whole.length - MAX_LINE;
      this.lineStart = { ino: this.lineStart.ino, offset: this.lineStart.offset + MAX_LINE };
    }
  }
}
