/**
 * How Supervisor.open wires its parts: the runtime picker, the one writer
 * (Book), the Driver with its optional usage sampler, and the
 * SupervisorStarted record. Split from supervisor.ts.
 */
import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import { RunledgerError } from '../errors.js';
import { SUPERVISOR_STREAM } from '../events/envelope.js';
import type { IdGenerator } from '../ids.js';
import type { RunsState } from '../projections/runs.js';
import type { RuntimeAdapter } from '../runtime/adapter.js';
import { Book } from './book.js';
import { decideSupervisorStarted } from './decide-supervisor.js';
import { Driver } from './driver.js';
import type { SupervisorOptions } from './supervisor-options.js';
import { UsageSampler } from './usage-sampler.js';

/** The driver of a new supervisor (its id is the first id it makes), sampling usage when asked to. */
export function openDriver(
  opts: SupervisorOptions,
  clock: Clock,
  ids: IdGenerator,
  state: RunsState,
): { driver: Driver; supervisorId: string } {
  const runtimes = opts.runtime;
  const pick = (kind: string): RuntimeAdapter => {
    const r = 'spawn' in runtimes ? (runtimes as RuntimeAdapter) : (runtimes as Record<string, RuntimeAdapter | undefined>)[kind];
    if (!r) throw new RunledgerError('RUNTIME_UNAVAILABLE', `runtime ${kind} is not available in this supervisor`, { runtime: kind });
    return r;
  };
  const supervisorId = ids.next();
  const book = new Book(opts.store, state, clock, ids, supervisorId);
  const driver = new Driver(book, clock, pick, opts.envStore);
  if (opts.usageSampleMs !== undefined && opts.usageSampleMs > 0) {
    driver.usage = new UsageSampler(
      { clock, runtimeOf: (r, a) => driver.runtimeOf(r, a), runs: () => book.state.runs.values() },
      opts.usageSampleMs,
    );
    driver.usage.start();
  }
  return { driver, supervisorId };
}

/** Append SupervisorStarted for this process (the host facts default to this machine's). */
export async function recordStarted(driver: Driver, supervisorId: string, opts: SupervisorOptions): Promise<void> {
  const host = opts.host ?? { pid: process.pid, bootId: 'unknown', hostname: hostname() };
  await driver.book.commit(
    SUPERVISOR_STREAM,
    decideSupervisorStarted({
      supervisorId,
      pid: host.pid,
      version: opts.version ?? '0.0.0',
      bootId: host.bootId,
      hostname: host.hostname,
    }),
    'any',
  );
}
