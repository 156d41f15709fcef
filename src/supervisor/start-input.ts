/** What start() checks and derives from its options before anything is recorded. */
import type { StartOptions } from './supervisor-options.js';

export function optionalStartFields(o: StartOptions): { batchId?: string; template?: string; rerunOf?: string } {
  return {
    ...(o.batchId ? { batchId: o.batchId } : {}),
    ...(o.template ? { template: o.template } : {}),
    ...(o.rerunOf ? { rerunOf: o.rerunOf } : {}),
  };
}
