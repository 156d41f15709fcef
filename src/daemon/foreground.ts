/**
 * The daemon itself, in the foreground: owns the ledger (LevelDB lock), the
 * runtimes and one Supervisor, and serves the API on the private socket
 * until SIGTERM/SIGINT or POST /v1/shutdown. On the way out it records
 * SupervisorStopped and leaves children running (the next daemon adopts
 * them) unless asked to stop them.
 */
import { unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { anchorStore } from '../anchor/anchor-store.js';
import { readBootId } from '../runtime/proc.js';
import { createRunEnvFiles } from '../runtime/run-env-file.js';
import type { EventStore } from '../store/event-store.js';
import { openLedger } from '../store/level-store.js';
import { Supervisor } from '../supervisor/supervisor.js';
import type { FleetConfig } from '../fleet/fleet-config.js';
import type { DaemonContext } from './context.js';
import { joinFleet, takeFleetConfig } from './fleet-join.js';
import { daemonPaths, ensureHome } from './home.js';
import { createLogger, type Logger } from './logger.js';
import { readPidFile, writePidFile } from './pid.js';
import { openRuntimes } from './runtimes.js';
import { createApiServer } from './server.js';
import { closeServer } from './server-close.js';
import { startRetention } from './retention.js';
import { startLiveSnapshots } from './snapshots.js';
import { establishLedgerTrust } from './ledger-trust.js';
import type { LedgerWarning } from '../projections/warnings.js';
import { inodeOf, listenPrivately, prepareSocketPath, removeSocket } from './socket.js';
import { packageVersion } from './version.js';
import { AppendMeter, meterAppends } from './append-meter.js';
import { UiListener } from './ui/ui-listener.js';

/**
 * How often live trees' CPU and memory are sampled (a few file reads per live
 * run, or one shared /proc scan). Measured with 20 live runs on a busy 2-core
 * machine: every 2 s cost ~1.5% of a core against ~0.2% without sampling,
 * so 10 s; /metrics measures afresh anyway, and a cgroup keeps its own peak.
 */
const USAGE_SAMPLE_MS = 10_000;

export interface ForegroundOptions {
  log?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Install SIGTERM/SIGINT handlers (default true); tests drive `stop` instead. */
  handleSignals?: boolean;
}

export interface RunningDaemon {
  /** Resolves once the daemon has shut down and cleaned up. */
  done: Promise<void>;
  stop(options?: { stopRuns?: boolean; reason?: string }): Promise<void>;
  context: DaemonContext;
}

/** Run the daemon until it is told to stop; resolves after a clean shutdown. */
export async function runDaemonForeground(home: string, options: ForegroundOptions = {}): Promise<void> {
  const daemon = await openDaemon(home, options);
  await daemon.done;
}

/** Open everything and listen; the returned handle stops it. Throws LEDGER_LOCKED when another daemon owns the home. */
export async function openDaemon(home: string, options: ForegroundOptions = {}): Promise<RunningDaemon> {
  const log = options.log ?? createLogger();
  const paths = daemonPaths(home, options.env);
  const fleetConfig = takeFleetConfig(options.env);
  const ensured = ensureHome(paths.home);
  if (ensured.tightenedFrom !== undefined)
    log.warn('home was accessible to others; tightened to 0700', { home: paths.home, was: ensured.tightenedFrom.toString(8) });
  const ledger = await openLedger({ dir: paths.ledger });
  let store: EventStore;
  try {
    // Checkpoints go outside the ledger directory; a failed one is logged, never fails an append.
    store = anchorStore(ledger, paths.home, {
      ...(options.env ? { env: options.env } : {}),
      onError: (err) => log.warn('could not write a ledger checkpoint', { error: String(err) }),
    });
  } catch (err) {
    await ledger.close();
    throw err;
  }
  const meter = new AppendMeter();
  store = meterAppends(store, meter);
  let cleanup: (() => Promise<void>) | undefined = () => store.close();
  try {
    await prepareSocketPath(paths.socket, paths.home);
    const runtimes = openRuntimes(paths.home, log);
    cleanup = async () => {
      await runtimes.background.close();
      await runtimes.tmux?.close();
      await store.close();
    };
    const version = packageVersion();
    const trust = await establishLedgerTrust(store, paths.home, log);
    const { initialState, snapshotKey, verificationPassed } = trust;
    const host = { pid: process.pid, bootId: await readBootId(), hostname: hostname() };
    const supervisor = await Supervisor.open({
      store,
      runtime: runtimes,
      version,
      initialState,
      host,
      envStore: createRunEnvFiles(paths.home),
      // Peak RSS and CPU time go into each exit event; ps and /metrics read the latest sample.
      usageSampleMs: USAGE_SAMPLE_MS,
    });
    cleanup = undefined;
    const warnings = () => trust.warnings(supervisor.state);
    return await serve({
      store,
      supervisor,
      runtimes,
      paths,
      version,
      log,
      handleSignals: options.handleSignals ?? true,
      snapshotKey,
      warnings,
      verificationPassed,
      fleetConfig,
      meter,
    });
  } catch (err) {
    await cleanup?.().catch(() => undefined);
    throw err;
  }
}

interface ServeParts {
  store: EventStore;
  supervisor: Supervisor;
  runtimes: DaemonContext['runtimes'];
  paths: DaemonContext['paths'];
  version: string;
  log: Logger;
  handleSignals: boolean;
  snapshotKey: Buffer;
  warnings(): LedgerWarning[];
  verificationPassed(head: { position: number; hash: string }): void;
  fleetConfig: FleetConfig | undefined;
  meter: AppendMeter;
}

async function serve(p: ServeParts): Promise<RunningDaemon> {
  let stopping: Promise<void> | undefined;
  const ctx: DaemonContext = {
    supervisor: p.supervisor,
    store: p.store,
    runtimes: p.runtimes,
    paths: p.paths,
    startedAt: new Date().toISOString(),
    version: p.version,
    now: () => Date.now(),
    log: p.log,
    snapshotKey: p.snapshotKey,
    warnings: p.warnings,
    verificationPassed: p.verificationPassed,
    openStreams: new Set(),
    // Let the answer to /v1/shutdown leave before the server starts closing.
    requestShutdown: ({ stopRuns }) => void setImmediate(() => void stop({ stopRuns, reason: 'shutdown' })),
  };
  const ui = new UiListener(ctx, p.meter);
  ctx.ui = ui;
  const snapshots = startLiveSnapshots({ store: p.store, supervisor: p.supervisor, log: p.log, key: p.snapshotKey });
  const fleet = await joinFleet(ctx, p.fleetConfig);
  const server = createApiServer(ctx);
  await listenPrivately(server, p.paths.socket);
  const socketInode = inodeOf(p.paths.socket);
  writePidFile(p.paths.pid);
  const retention = startRetention(ctx);

  const onSignal = (signal: NodeJS.Signals) => {
    p.log.info(`received ${signal}`);
    void stop({ reason: 'signal' });
  };
  if (p.handleSignals) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));

  const stop = (o: { stopRuns?: boolean; reason?: string } = {}): Promise<void> =>
    (stopping ??= (async () => {
      const closed = closeServer(server, ctx.openStreams);
      await retention.finish();
      const uiClosed = ui.close();
      try {
        await p.supervisor.close({ stopRuns: o.stopRuns ?? false, reason: o.reason ?? 'closed' });
      } catch (err) {
        p.log.error('supervisor close failed', { stack: (err as Error).stack });
      }
      await snapshots.finish();
      await fleet?.stop();
      await p.runtimes.background.close();
      await p.runtimes.tmux?.close();
      await closed;
      await uiClosed;
      await p.store.close();
      removeSocket(p.paths.socket, socketInode);
      if (readPidFile(p.paths.pid) === process.pid) unlinkSync(p.paths.pid);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      p.log.info('daemon stopped', { reason: o.reason ?? 'closed', stopRuns: o.stopRuns ?? false });
      resolveDone();
    })());

  p.log.info('daemon started', {
    pid: process.pid,
    home: p.paths.home,
    socket: p.paths.socket,
    version: p.version,
    supervisorId: p.supervisor.supervisorId,
  });
  return { done, stop, context: ctx };
}
