/**
 * An attempt's output as an Observable of lines: from the start of the logs
 * on disk, then live, completing once the child exited and the files are
 * drained. Growth is noticed through fs.watch on the attempt dir; a slow
 * timer shared by all tails is the safety net (a watch can fail, e.g. on
 * some network filesystems): every 3 s for a tail whose watch could not be
 * set up, every 30 s for one that is watched (a watch that silently reports
 * nothing). With 1,000 idle runs that is ~33 checks a second, each a few
 * stat() calls.
 */
import { watch, type FSWatcher } from 'node:fs';
import { access } from 'node:fs/promises';
import { Observable } from 'rxjs';
import type { OutputLine } from './adapter.js';
import type { AttemptPaths } from './attempt-dir.js';
import { isAttemptShimAlive } from './exit-watch.js';
import { FileFollower } from './file-follower.js';
import { createTicker, type Ticker } from './ticker.js';

const SAFETY_NET_MS = 3000;
/** A watched tail is looked at on every this-many ticks of the net. */
const WATCHED_EVERY = 10;
/** Without output.done, "exited and shim gone" must hold this long (a log writer may still be draining). */
const SETTLE_MS = 1000;
const safetyNet = createTicker(SAFETY_NET_MS);

export interface TailSink {
  line(line: OutputLine): void;
  done(): void;
  failed(err: unknown): void;
}

export interface Tail {
  /** Stop following; resolves once no read is in flight and every file the tail opened is closed. */
  stop(): Promise<void>;
}

/** Tail stdout.log and stderr.log of one attempt. */
export function tailOutput(paths: AttemptPaths): Observable<OutputLine> {
  return new Observable<OutputLine>((subscriber) => {
    const tail = startTail(paths, {
      line: (line) => subscriber.next(line),
      done: () => subscriber.complete(),
      failed: (err) => subscriber.error(err),
    });
    return () => void tail.stop();
  });
}

/** Follow both logs of an attempt into `sink` until they are finished or `stop` is called. */
export function startTail(paths: AttemptPaths, sink: TailSink, ticker: Ticker = safetyNet): Tail {
  const followers = (['stdout', 'stderr'] as const).map(
    (stream) => new FileFollower(paths.dir, `${stream}.log`, (line, at) => sink.line({ stream, line, at })),
  );
  const msUntilFinished = createFinishCheck(paths);
  let started = false;
  let busy = false;
  let again = false;
  let stopped = false;
  let idle: Promise<void> = Promise.resolve();
  let watcher: FSWatcher | undefined;
  let settleTimer: NodeJS.Timeout | undefined;

  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      watcher?.close();
      watcher = undefined;
      removeTick();
      clearTimeout(settleTimer);
    }
    await Promise.all([idle, ...followers.map((f) => f.close())]);
  };
  // One step reads everything new; every await is followed by a `stopped` check so a stop mid-step opens nothing more.
  const step = async (): Promise<void> => {
    if (!started) {
      for (const f of followers) {
        await f.readRotated();
        if (stopped) return;
      }
      started = true;
    }
    // Decide before reading: everything written before the finish marker is then read below.
    const wait = await msUntilFinished();
    for (const f of followers) {
      if (stopped) return;
      await f.pump();
    }
    if (stopped) return;
    if (wait === 0) {
      for (const f of followers) f.flush();
      void stop();
      sink.done();
    } else if (wait !== Infinity) {
      // Nothing on disk will announce the end of the settle time: look again then.
      settleTimer ??= setTimeout(() => {
        settleTimer = undefined;
        kick();
      }, wait);
    }
  };
  const loop = async (): Promise<void> => {
    try {
      do {
        again = false;
        await step();
      } while (again && !stopped);
    } catch (err) {
      if (!stopped) {
        void stop();
        sink.failed(err);
      }
    } finally {
      busy = false;
    }
  };
  const kick = (): void => {
    if (stopped) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    idle = loop();
  };
  const watchDir = (): void => {
    if (watcher || stopped) return;
    try {
      watcher = watch(paths.dir, () => kick());
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined; // the next tick watches again
      });
    } catch {
      watcher = undefined; // the dir may not exist yet; the next tick tries again
    }
  };

  let ticks = 0;
  const removeTick = ticker.add(() => {
    watchDir();
    if (!watcher || ++ticks % WATCHED_EVERY === 0) kick();
  });
  watchDir();
  kick();
  return { stop };
}

/** 0 when the output is finished, Infinity while the child runs, else how long the settle time still lasts. */
function createFinishCheck(paths: AttemptPaths): () => Promise<number> {
  let endedSince: number | undefined;
  return async () => {
    if (await exists(paths.file('output.done'))) return 0;
    const ended =
      ((await exists(paths.file('exit.json'))) || (await exists(paths.file('spawn-error.json')))) && !(await isAttemptShimAlive(paths));
    if (!ended) {
      endedSince = undefined;
      return Infinity;
    }
    endedSince ??= Date.now();
    return Math.max(0, SETTLE_MS - (Date.now() - endedSince));
  };
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
