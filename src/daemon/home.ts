/**
 * Where a runledger home lives and what is inside it. The CLI imports this
 * on its fast path, so it uses node built-ins only (no LevelDB, RxJS, execa).
 */
import { chmodSync, lstatSync, mkdirSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { RunledgerError } from '../errors.js';

/** node:crypto loads ~20 internal modules; only a home path too long for a socket needs it (start-up, ARCHITECTURE.md). */
const requireBuiltin = createRequire(import.meta.url);

export interface DaemonPaths {
  home: string;
  /** LevelDB directory. */
  ledger: string;
  /** The API's Unix socket. */
  socket: string;
  log: string;
  pid: string;
  /** Attempt directories (`runs/<runId>/<attempt>/`), the runtime's state dir is the home itself. */
  runs: string;
  /** Held while one CLI starts the daemon, so racing CLIs start exactly one. */
  startLock: string;
}

/** sun_path is 108 bytes on Linux, including the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;

/** The home: `--home`, else `$RUNLEDGER_HOME`, else `$XDG_STATE_HOME/runledger`, else `~/.local/state/runledger`. */
export function resolveHome(options: { home?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const env = options.env ?? process.env;
  const given = nonEmpty(options.home) ?? nonEmpty(env.RUNLEDGER_HOME);
  if (given) return resolve(given);
  const state = nonEmpty(env.XDG_STATE_HOME);
  // XDG says relative values are invalid and must be ignored.
  if (state && state.startsWith('/')) return join(state, 'runledger');
  return join(nonEmpty(env.HOME) ?? homedir(), '.local', 'state', 'runledger');
}

/** Every path the daemon and the CLI agree on, derived from the home alone. */
export function daemonPaths(home: string, env: NodeJS.ProcessEnv = process.env): DaemonPaths {
  const abs = resolve(home);
  return {
    home: abs,
    ledger: join(abs, 'ledger'),
    socket: socketPathFor(abs, env),
    log: join(abs, 'daemon.log'),
    pid: join(abs, 'daemon.pid'),
    runs: join(abs, 'runs'),
    startLock: join(abs, 'daemon.start.lock'),
  };
}

/**
 * `<home>/daemon.sock`, unless that is longer than sun_path allows: then a
 * per-home name in `$XDG_RUNTIME_DIR/runledger/` (or a private dir in /tmp),
 * hashed from the home so every client finds the same socket.
 */
export function socketPathFor(home: string, env: NodeJS.ProcessEnv = process.env): string {
  const inHome = join(home, 'daemon.sock');
  if (Buffer.byteLength(inHome) <= MAX_SOCKET_PATH_BYTES) return inHome;
  const { createHash } = requireBuiltin('node:crypto') as typeof import('node:crypto');
  const hash = createHash('sha256').update(home).digest('hex').slice(0, 24);
  const runtimeDir = nonEmpty(env.XDG_RUNTIME_DIR);
  const base = runtimeDir && runtimeDir.startsWith('/') ? join(runtimeDir, 'runledger') : join(tmpdir(), `runledger-${uid()}`);
  return join(base, `${hash}.sock`);
}

export interface EnsuredHome {
  home: string;
  created: boolean;
  /** The mode the directory had before we tightened it to 0700, if we did. */
  tightenedFrom?: number;
}

/**
 * Create the home 0700, or check an existing one: it must be a real
 * directory owned by us (someone else's directory could hold a planted
 * socket or ledger). A looser mode is tightened, and reported so callers can say so.
 */
export function ensureHome(home: string): EnsuredHome {
  const created = mkdirSync(home, { recursive: true, mode: 0o700 }) !== undefined;
  // The home may be a symlink to a directory of ours (people move state dirs around); the socket dir may not.
  const result = assertPrivateDir(home, 'home', { followSymlink: true });
  return { home, created, ...(result.tightenedFrom === undefined ? {} : { tightenedFrom: result.tightenedFrom }) };
}

/** A directory we own, not a symlink, 0700 afterwards (UNSAFE_SOCKET otherwise: the socket lives in it). */
export function assertPrivateDir(dir: string, what: string, options: { followSymlink?: boolean } = {}): { tightenedFrom?: number } {
  const st = options.followSymlink ? statSync(dir) : lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) {
    throw new RunledgerError('UNSAFE_SOCKET', `${what} ${dir} is not a directory (a symlink or a file); refusing to use it`, { path: dir });
  }
  if (st.uid !== uid()) {
    throw new RunledgerError('UNSAFE_SOCKET', `${what} ${dir} is owned by uid ${st.uid}, not by you (uid ${uid()}); refusing to use it`, {
      path: dir,
      owner: st.uid,
    });
  }
  const mode = st.mode & 0o777;
  if ((mode & 0o077) === 0) return {};
  chmodSync(dir, 0o700);
  return { tightenedFrom: mode };
}

function uid(): number {
  return process.getuid?.() ?? 0;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
