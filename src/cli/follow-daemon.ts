/**
 * Following across daemons (`logs -f`, `events -f`). The runs outlive a
 * daemon that dies (their shims keep them), so a follower should too: when
 * the stream breaks, or ends while its daemon is gone, we wait for the next
 * daemon (auto-started by another command, or started by someone else; a
 * read command never starts one itself) and reopen the stream where the
 * caller's cursor says: events after the last position, log lines after the
 * last line number. The cursor lives with the caller, which advances it only
 * for what it printed, so nothing is repeated or skipped.
 */
import { isRunledgerError } from '../errors.js';
import { connectIfRunning, type ReadBackend } from './backend.js';
import type { CliContext } from './context.js';

/** How often to look for the next daemon: quickly at first, then at most every second. */
const FIRST_LOOK_MS = 100;
const MAX_LOOK_MS = 1000;

export interface FollowAcross {
  /** The backend that answered first (a daemon; any other source is followed once, as before). */
  backend: ReadBackend;
  /** Open the stream on `backend` from the caller's cursor; resolves when it ends. */
  open(backend: ReadBackend, signal: AbortSignal): Promise<void>;
  signal: AbortSignal;
  /** What is followed, for the notes on stderr ("logs of run 4k2m9qa"). */
  what: string;
}

/** Follow until the stream ends while its daemon still runs (the run ended), or `signal` aborts. Returns the last backend. */
export async function followAcrossDaemons(ctx: CliContext, o: FollowAcross): Promise<ReadBackend> {
  let backend = o.backend;
  for (;;) {
    let lost = false;
    try {
      await o.open(backend, o.signal);
    } catch (err) {
      if (o.signal.aborted) return backend;
      if (backend.source !== 'daemon' || !isRunledgerError(err, 'DAEMON_UNAVAILABLE')) throw err;
      lost = true;
    }
    if (o.signal.aborted || backend.source !== 'daemon') return backend;
    // A clean end from a daemon that still answers is the real end (the run ended); from a gone one, a break.
    if (!lost && (await currentDaemonId(ctx)) === backend.daemonId) return backend;
    ctx.err.write(`runledger: lost the daemon while following ${o.what}; waiting for the next one to resume (runledger daemon start)\n`);
    await backend.close().catch(() => undefined);
    const next = await nextDaemon(ctx, backend.daemonId, o.signal);
    if (!next) return backend;
    backend = next;
    ctx.err.write(`runledger: resumed following ${o.what} (daemon ${backend.daemonId?.split('@')[0]})\n`);
  }
}

async function currentDaemonId(ctx: CliContext): Promise<string | undefined> {
  const daemon = await connectIfRunning(await ctx.home(), ctx).catch(() => null);
  await daemon?.close();
  return daemon?.daemonId;
}

/** The next daemon to answer (another than `gone`), or null once `signal` aborts. */
async function nextDaemon(ctx: CliContext, gone: string | undefined, signal: AbortSignal): Promise<ReadBackend | null> {
  const home = await ctx.home();
  for (let wait = FIRST_LOOK_MS; !signal.aborted; wait = Math.min(MAX_LOOK_MS, wait * 2)) {
    // A dying daemon may still answer for a moment: only another one will do.
    const daemon = await connectIfRunning(home, ctx).catch(() => null);
    if (daemon && daemon.daemonId !== gone) return daemon;
    await daemon?.close();
    await sleep(wait, signal);
  }
  return null;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
