/** What start() checks and derives from its options before anything is recorded. */
import { stat } from 'node:fs/promises';
import { RunledgerError } from '../errors.js';
import type { StartOptions } from './supervisor-options.js';

export function optionalStartFields(o: StartOptions): { batchId?: string; template?: string; rerunOf?: string } {
  return {
    ...(o.batchId ? { batchId: o.batchId } : {}),
    ...(o.template ? { template: o.template } : {}),
    ...(o.rerunOf ? { rerunOf: o.rerunOf } : {}),
  };
}

export async function assertDirectory(cwd: string): Promise<void> {
  const s = await stat(cwd).catch(() => null);
  if (!s?.isDirectory()) throw new RunledgerError('INVALID_SPEC', `cwd: ${cwd} is not a directory`, { field: 'cwd' });
}
