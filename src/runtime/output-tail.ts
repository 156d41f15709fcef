/**
 * An attempt's output as an Observable of lines: from the start of the logs
 * on disk, then live, completing once the child exited and the files are
 * drained. Growth is noticed through fs.watch on the attempt dir, with a slow
 * timer as a safety net (a watch can fail, e.g. on some network filesystems).
 */
import { watch, type FSWatcher } from 'node:fs';
import { access } from 'node:fs/promises';
import { Observable } from 'rxjs';
import type { OutputLine } from './adapter.js';
import type { AttemptPaths } from './attempt-dir.js';
import { isShimAlive } from './exit-watch.js';
import { FileFollower } from './file-follower.js';

const SAFETY_NET_MS = 250;
/** Without output.done, "exited and shim gone" must hold this long (a log writer may still be draining). */
const SETTLE_MS = 1000;

/** Tail stdout.log and stderr.log of one attempt. */
export function tailOutput(paths: AttemptPaths): Observable<OutputLine> {
  return new Observable<OutputLine>((subscriber) => {
    const followers = (['stdout', 'stderr'] as const).map(
      (stream) => new FileFollower(paths.dir, `${stream}.log`, (line) => subscriber.next({ stream, line })),
    );
    const isFinished = createFinishCheck(paths);
    let started = false;
    let running = false;
    let again = false;
    let stopped = false;
    let watcher: FSWatcher | undefined;

    const stop = (): void => {
      stopped = true;
      watcher?.close();
      clearInterval(timer);
      for (const f of followers) void f.close();
    };
    const step = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          if (!started) {
            for (const f of followers) await f.readRotated();
            started = true;
          }
          // Decide before reading: everything written before the finish marker is then read below.
          const finished = await isFinished();
          for (const f of followers) await f.pump();
          if (finished && !stopped) {
            for (const f of followers) f.flush();
            stop();
            subscriber.complete();
          }
        } while (again && !stopped);
      } catch (err) {
        stop();
        subscriber.error(err);
      } finally {
        running = false;
      }
    };

    try {
      watcher = watch(paths.dir, () => void step());
      watcher.on('error', () => undefined);
    } catch {
      watcher = undefined; // the dir may not exist yet; the timer covers it
    }
    const timer = setInterval(() => void step(), SAFETY_NET_MS);
    void step();
    return stop;
  });
}

function createFinishCheck(paths: AttemptPaths): () => Promise<boolean> {
  let endedSince: number | undefined;
  return async () => {
    if (await exists(paths.file('output.done'))) return true;
    const ended =
      ((await exists(paths.file('exit.json'))) || (await exists(paths.file('spawn-error.json')))) &&
      !(await isShimAlive(paths));
    if (!ended) {
      endedSince = undefined;
      return false;
    }
    endedSince ??= Date.now();
    return Date.now() - endedSince >= SETTLE_MS;
  };
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
