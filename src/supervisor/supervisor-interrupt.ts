/**
 * Supervisor.interrupt: stop exactly the active runs whose owner matches
 * every given scope key, and report which were signalled and which were
 * found stale. Split from supervisor.ts.
 */
import { RunledgerError } from '../errors.js';
import type { OwnerScope } from '../events/schemas.js';
import { interruptMatches, listRuns } from '../projections/queries.js';
import type { RunsState } from '../projections/runs.js';
import type { Driver } from './driver.js';
import { ref, type InterruptReport } from './supervisor-options.js';

export async function interruptRuns(driver: Driver, state: RunsState, scope: OwnerScope): Promise<InterruptReport> {
  const given = Object.fromEntries(Object.entries(scope ?? {}).filter(([, v]) => v !== undefined && v !== '')) as OwnerScope;
  if (Object.keys(given).length === 0)
    throw new RunledgerError(
      'EMPTY_SCOPE',
      'interrupt needs a scope (session, turn, toolCall, terminal, extension or hook): an empty scope would match everything',
    );
  const matched = listRuns(state, { active: true }).filter((r) => interruptMatches(r, given));
  const report: InterruptReport = { scope: given, matched: matched.map(ref), signaled: [], stale: [] };
  await Promise.all(
    matched.map((m) =>
      driver.withRun(m.id, async (r) => {
        const outcome = await driver.requestStop(r, { reason: 'interrupt', force: false, scope: given });
        if (outcome === 'sent') report.signaled.push(ref(r));
        else if (outcome === 'mismatch') report.stale.push(ref(r));
      }),
    ),
  );
  return report;
}
