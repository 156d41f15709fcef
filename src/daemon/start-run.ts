/**
 * Every start the daemon makes (POST /v1/runs, rerun, a stack's `up`, a
 * request from another host) goes through here, so a slot the host's config
 * declares fleet-wide is leased whichever way the run was asked for. The
 * declaration is `fleet.slots` in the home's runledger.config.json (the
 * daemon serves every project of the home, so a project's own config cannot
 * decide for the others), read at each start that has a slot, so an edit
 * holds from the next start on. A file that cannot be read or checked
 * refuses such starts (INVALID_CONFIG): whether a slot is fleet-wide is never
 * guessed, and neither is a lease when the daemon is not in a fleet
 * (FLEET_NOT_CONFIGURED).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunledgerError } from '../errors.js';
import { checkFleetSlots, fleetLeaseReason } from '../fleet/fleet-slots.js';
import type { StartOptions, StartResult } from '../supervisor/supervisor.js';
import type { RunSpecInput } from '../supervisor/spec.js';
import type { DaemonContext } from './context.js';

const CONFIG_FILE = 'runledger.config.json';
/** Marks a run started with --fleet, so that a rerun of it (the recorded spec, labels and all) is leased again. */
export const FLEET_SLOT_LABEL = 'runledger.fleet-slot';

/** The slot names and patterns `fleet.slots` of the home's config declares ([] without a file or a `fleet` entry). */
export function readFleetSlots(home: string): string[] {
  const file = join(home, CONFIG_FILE);
  if (!existsSync(file)) return [];
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RunledgerError('INVALID_CONFIG', `${file}: cannot tell which slots are fleet-wide: ${(err as Error).message}`, { file });
  }
  try {
    const fleet = typeof config === 'object' && config !== null ? (config as { fleet?: unknown }).fleet : undefined;
    return checkFleetSlots(fleet);
  } catch (err) {
    throw new RunledgerError('INVALID_CONFIG', `${file}: ${(err as Error).message}`, { file });
  }
}

/** For `daemon status`: the declared fleet slots, or why the config cannot tell (nothing when it declares none). */
export function fleetSlotsStatus(home: string): { fleetSlots?: string[]; fleetSlotsError?: { code: string; message: string } } {
  try {
    const declared = readFleetSlots(home);
    return declared.length > 0 ? { fleetSlots: declared } : {};
  } catch (err) {
    const { code, message } = err as RunledgerError;
    return { fleetSlotsError: { code, message } };
  }
}

/**
 * Start a run, its slot leased across the fleet first when the caller asked
 * (`--fleet`, or the label a --fleet run carries into its reruns) or the config declares it.
 */
export async function startRun(ctx: DaemonContext, spec: RunSpecInput, options: StartOptions, fleetFlag = false): Promise<StartResult> {
  const askedFleet = fleetFlag || spec.labels?.[FLEET_SLOT_LABEL] === 'true';
  if (askedFleet && !spec.slot) throw new RunledgerError('USAGE', "--fleet leases the run's slot across the fleet: give it --slot NAME");
  // The file is read only when it can change the answer: --fleet leases whatever it says.
  const declared = spec.slot && !askedFleet ? readFleetSlots(ctx.paths.home) : [];
  const reason = fleetLeaseReason(spec.slot, askedFleet, declared);
  if (reason === undefined || !spec.slot) return ctx.supervisor.start(spec, options);
  if (!ctx.fleet?.startLeased) {
    const where = askedFleet ? '' : ` in ${join(ctx.paths.home, CONFIG_FILE)}`;
    throw new RunledgerError(
      'FLEET_NOT_CONFIGURED',
      `slot ${spec.slot} is fleet-wide (${reason}${where}) but this daemon is not in a fleet: ` +
        'restart it with RUNLEDGER_FLEET_URL (or daemon start --fleet-url URL)',
      { slot: spec.slot, reason },
    );
  }
  const marked = askedFleet ? { ...spec, labels: { ...spec.labels, [FLEET_SLOT_LABEL]: 'true' } } : spec;
  return ctx.fleet.startLeased(marked, spec.slot, options);
}
