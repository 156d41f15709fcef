/**
 * A private PostgreSQL cluster for one test file: initdb in a temp dir, a
 * random free port, a socket dir of its own, stopped (and killed by pid if
 * need be) in afterAll. PostgreSQL refuses to run as root, so when the tests
 * run as root the server runs as the `postgres` system user (`runuser`).
 * `pgAvailable` is false only when the binaries are absent; tests then skip
 * with a message saying how to get them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATE_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

function findBinDir(): string | undefined {
  for (const dir of CANDIDATE_DIRS) if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const path = which.stdout.trim();
  return path ? path.slice(0, path.lastIndexOf('/')) : undefined;
}

const BIN_DIR = findBinDir();
export const pgAvailable = BIN_DIR !== undefined;
export const pgSkipReason = 'PostgreSQL binaries (initdb, pg_ctl) not found: install Debian package `postgresql` to run the fleet tests';
if (!pgAvailable) console.warn(`skipping fleet tests: ${pgSkipReason}`);

export interface PgCluster {
  url: string;
  port: number;
  dataDir: string;
  /** pg_ctl stop -m immediate: the database vanishes as in a crash. */
  kill(): void;
  /** Start again on the same port and data dir. */
  start(): void;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Run a PostgreSQL binary as a non-root user (the postgres account when we are root). */
function pgRun(bin: string, args: string[]): string {
  const file = join(BIN_DIR!, bin);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

export async function startPgCluster(): Promise<PgCluster> {
  if (!BIN_DIR) throw new Error(pgSkipReason);
  const root = mkdtempSync(join(tmpdir(), 'rl-pg-'));
  const dataDir = join(root, 'data');
  const sockDir = join(root, 'sock');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
    mkdirSync(sockDir);
    chownSync(sockDir, uid, gid);
  } else mkdirSync(sockDir);
  chmodSync(root, 0o700);
  pgRun('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const opts = `-p ${port} -k ${sockDir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => {
    pgRun('pg_ctl', ['-D', dataDir, '-o', opts, '-l', join(root, 'log'), '-w', '-t', '60', 'start']);
  };
  const pid = (): number | undefined => {
    try {
      return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
  };
  const stop = (mode: string) => {
    const before = pid();
    try {
      pgRun('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
    } catch {
      if (before) {
        try {
          process.kill(before, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  };
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    kill: () => stop('immediate'),
    start,
    stop() {
      stop('immediate');
      rmSync(root, { recursive: true, force: true });
    },
  };
}
