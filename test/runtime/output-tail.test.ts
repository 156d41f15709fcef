import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutputLine } from '../../src/runtime/adapter.js';
import { resolveAttemptPaths, type AttemptPaths } from '../../src/runtime/attempt-dir.js';
import { startTail, type TailSink } from '../../src/runtime/output-tail.js';
import type { Ticker } from '../../src/runtime/ticker.js';
import { makeStateDir, numbered, openFds, removeDir } from './helpers.js';

/** A safety net that ticks only when the test says so. */
class ManualTicker implements Ticker {
  private readonly callbacks = new Set<() => void>();
  add(fn: () => void): () => void {
    const entry = (): void => fn();
    this.callbacks.add(entry);
    return () => this.callbacks.delete(entry);
  }
  tick(): void {
    for (const callback of this.callbacks) callback();
  }
  get size(): number {
    return this.callbacks.size;
  }
}

/** Records what a tail delivers and lets a test wait for a condition on it. */
class Recorder implements TailSink {
  readonly lines: OutputLine[] = [];
  finished = false;
  error: unknown;
  private waiters: Array<() => void> = [];
  line(line: OutputLine): void {
    this.lines.push(line);
    this.wake();
  }
  done(): void {
    this.finished = true;
    this.wake();
  }
  failed(err: unknown): void {
    this.error = err;
    this.wake();
  }
  text(stream: OutputLine['stream'] = 'stdout'): string[] {
    return this.lines.filter((l) => l.stream === stream).map((l) => l.line);
  }
  async until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

describe('startTail', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));
  const newAttempt = (create = true): AttemptPaths => {
    const stateDir = makeStateDir();
    dirs.push(stateDir);
    const paths = resolveAttemptPaths(stateDir, 'RUN1', 1);
    if (create) mkdirSync(paths.dir, { recursive: true });
    return paths;
  };

  it('yields lines from the start, then live through a rotation, and completes only after output.done', async () => {
    const paths = newAttempt();
    writeFileSync(paths.file('stdout.log.1'), `${numbered(0, 100).join('\n')}\n`);
    writeFileSync(paths.file('stdout.log'), `${numbered(100, 100).join('\n')}\n`);
    writeFileSync(paths.file('stderr.log'), 'err 0\n');
    const sink = new Recorder();
    // Never ticked: fs.watch alone must carry the live part.
    const ticker = new ManualTicker();
    const tail = startTail(paths, sink, ticker);
    await sink.until(() => sink.lines.length === 201);
    appendFileSync(paths.file('stdout.log'), `${numbered(200, 100).join('\n')}\n`);
    await sink.until(() => sink.lines.length === 301);
    renameSync(paths.file('stdout.log'), paths.file('stdout.log.2'));
    writeFileSync(paths.file('stdout.log'), `${numbered(300, 100).join('\n')}\nno newline`);
    appendFileSync(paths.file('stderr.log'), 'err 1\n');
    writeFileSync(paths.file('output.done'), '');
    await sink.until(() => sink.finished);
    expect(sink.text()).toEqual([...numbered(0, 400), 'no newline']);
    expect(sink.text('stderr')).toEqual(['err 0', 'err 1']);
    expect(ticker.size).toBe(0);
    await tail.stop();
  });

  it('completes without output.done once the child exited and no shim is left', async () => {
    const paths = newAttempt();
    writeFileSync(paths.file('stdout.log'), 'last words\n');
    writeFileSync(paths.file('exit.json'), JSON.stringify({ pid: 1, exitCode: 0, signal: null }));
    const sink = new Recorder();
    const tail = startTail(paths, sink, new ManualTicker());
    await sink.until(() => sink.finished);
    expect(sink.text()).toEqual(['last words']);
    await tail.stop();
  });

  it('starts watching on a safety-net tick when the attempt dir did not exist yet', async () => {
    const paths = newAttempt(false);
    const sink = new Recorder();
    const ticker = new ManualTicker();
    const tail = startTail(paths, sink, ticker);
    mkdirSync(paths.dir, { recursive: true });
    writeFileSync(paths.file('stdout.log'), 'first\n');
    ticker.tick();
    await sink.until(() => sink.lines.length === 1);
    appendFileSync(paths.file('stdout.log'), 'second\n'); // seen through the watch made on the tick
    await sink.until(() => sink.lines.length === 2);
    expect(sink.text()).toEqual(['first', 'second']);
    await tail.stop();
  });

  it('leaves no file open and delivers nothing once stopped, whenever the stop lands', async () => {
    const paths = newAttempt();
    writeFileSync(paths.file('stdout.log.1'), `${numbered(0, 20_000).join('\n')}\n`);
    writeFileSync(paths.file('stdout.log'), `${numbered(20_000, 20_000).join('\n')}\n`);
    writeFileSync(paths.file('stderr.log'), `${numbered(0, 20_000).join('\n')}\n`);
    // The first watch creates the loop's inotify descriptor, which stays: count from after it.
    const warm = new Recorder();
    await startTail(paths, warm, new ManualTicker()).stop();
    const before = openFds();
    for (let turns = 0; turns < 40; turns++) {
      const sink = new Recorder();
      const ticker = new ManualTicker();
      const tail = startTail(paths, sink, ticker);
      for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      const stopping = tail.stop();
      const delivered = sink.lines.length;
      await stopping;
      expect(sink.lines.length).toBe(delivered);
      expect(openFds()).toBe(before);
      expect(ticker.size).toBe(0);
      expect(sink.error).toBeUndefined();
    }
  });
});
