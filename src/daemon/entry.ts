#!/usr/bin/env node
/**
 * The daemon process: `node dist/daemon/entry.js --home DIR`. Started
 * detached by startDaemon with stdout/stderr going to `<home>/daemon.log`.
 * Exit codes: 0 clean stop; 3 another daemon owns this home (LEDGER_LOCKED /
 * DAEMON_RUNNING); 4 unsafe socket or home; 1 anything else.
 */
import { isRunledgerError } from '../errors.js';
import { runDaemonForeground } from './foreground.js';
import { resolveHome } from './home.js';
import { createLogger } from './logger.js';

export const EXIT_OWNED_ELSEWHERE = 3;
export const EXIT_UNSAFE = 4;

// glibc has read the allocator settings we added for this process (spawn-daemon.ts): drop them
// so that no supervised child inherits them.
for (const k of (process.env.RUNLEDGER_DAEMON_MALLOC_ENV ?? '').split(',').filter(Boolean)) delete process.env[k];
delete process.env.RUNLEDGER_DAEMON_MALLOC_ENV;

const log = createLogger();

function parseHome(argv: string[]): string | undefined {
  const i = argv.indexOf('--home');
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--home='))?.slice('--home='.length);
}

function exitCodeOf(err: unknown): number {
  if (isRunledgerError(err, 'LEDGER_LOCKED') || isRunledgerError(err, 'DAEMON_RUNNING')) return EXIT_OWNED_ELSEWHERE;
  if (isRunledgerError(err, 'UNSAFE_SOCKET')) return EXIT_UNSAFE;
  return 1;
}

// A bug that escaped every handler: record it and exit. Children survive (that is the shim's job) and the next daemon adopts them.
process.on('uncaughtException', (err) => {
  log.error('uncaught exception', { stack: err.stack });
  process.exit(70);
});
process.on('unhandledRejection', (reason) => {
  log.error('unhandled rejection', { stack: (reason as Error)?.stack ?? String(reason) });
  process.exit(70);
});

try {
  const home = resolveHome({ ...(parseHome(process.argv.slice(2)) ? { home: parseHome(process.argv.slice(2))! } : {}) });
  await runDaemonForeground(home, { log });
  process.exit(0);
} catch (err) {
  if (isRunledgerError(err)) log.error(`error [${err.code}]: ${err.message}`);
  else log.error('daemon failed to start', { stack: (err as Error)?.stack ?? String(err) });
  process.exit(exitCodeOf(err));
}
