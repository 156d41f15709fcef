/**
 * Follows one rotating log (`stdout.log`, rotated to `stdout.log.1..K`) and
 * turns it into lines. It holds the open file, so when the shim renames it
 * away the rest of it is still read before moving on to the new file.
 * Known limit: if the file rotates twice between two pumps, the middle
 * file's lines are skipped (the shim never waits for readers, by design).
 */
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';

const CHUNK = 64 * 1024;
/** A "line" without a newline is cut here so a newline-free flood cannot grow memory. */
const MAX_LINE = 64 * 1024;

export class FileFollower {
  private handle: FileHandle | undefined;
  private ino = -1;
  private position = 0;
  private decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(
    private readonly dir: string,
    private readonly base: string,
    private readonly emit: (line: string) => void,
  ) {}

  /** Read what rotation already pushed aside, oldest first, so output starts at the beginning. */
  async readRotated(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const pattern = new RegExp(`^${this.base.replace('.', '\\.')}\\.(\\d+)$`);
    const rotated = names
      .map((n) => ({ n, i: Number(pattern.exec(n)?.[1] ?? NaN) }))
      .filter((r) => !Number.isNaN(r.i))
      .sort((a, b) => b.i - a.i);
    for (const r of rotated) {
      const handle = await open(join(this.dir, r.n), 'r').catch(() => undefined);
      if (!handle) continue;
      try {
        await this.drain(handle, 0);
      } finally {
        await handle.close();
      }
    }
  }

  /** Read everything new, switching to the fresh file when the current one was rotated away. */
  async pump(): Promise<void> {
    for (;;) {
      if (!this.handle && !(await this.openCurrent())) return;
      this.position = await this.drain(this.handle as FileHandle, this.position);
      const now = await stat(join(this.dir, this.base)).catch(() => undefined);
      if (now && now.ino === this.ino) return;
      // Rotated: what was written to the old file before the rename is read above; move on.
      this.position = await this.drain(this.handle as FileHandle, this.position);
      await this.handle?.close();
      this.handle = undefined;
      if (!now) return;
    }
  }

  /** Emit a last line that had no newline. */
  flush(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.length > 0) this.emit(rest.replace(/\r$/, ''));
  }

  async close(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
  }

  private async openCurrent(): Promise<boolean> {
    const handle = await open(join(this.dir, this.base), 'r').catch(() => undefined);
    if (!handle) return false;
    this.handle = handle;
    this.ino = (await handle.stat()).ino;
    this.position = 0;
    return true;
  }

  private async drain(handle: FileHandle, from: number): Promise<number> {
    const buf = Buffer.allocUnsafe(CHUNK);
    let position = from;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK, position);
      if (bytesRead === 0) return position;
      position += bytesRead;
      this.split(this.decoder.write(buf.subarray(0, bytesRead)));
    }
  }

  private split(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.emit(line.replace(/\r$/, ''));
    while (this.partial.length > MAX_LINE) {
      this.emit(this.partial.slice(0, MAX_LINE));
      this.partial = this.partial.slice(MAX_LINE);
    }
  }
}
