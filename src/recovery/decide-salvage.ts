/** The decider for salvage: the evidence, as data, becomes one LedgerSalvaged event on the supervisor stream. */
import type { NewEvent } from '../events/envelope.js';
import type { EventData } from '../events/schemas.js';

export const SALVAGE_STREAM = 'supervisor';

export type SalvageFindings = EventData<'LedgerSalvaged'>;

export function decideSalvage(findings: SalvageFindings): NewEvent[] {
  if (findings.kept + 1 !== findings.stoppedAt)
    throw new TypeError(`salvage kept ${findings.kept} records, so it stopped at ${findings.kept + 1}, not ${findings.stoppedAt}`);
  return [{ type: 'LedgerSalvaged', data: { ...findings } }];
}
