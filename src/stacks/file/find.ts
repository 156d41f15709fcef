/**
 * Which stack file: `-f FILE`, else the first of runledger.yaml,
 * runledger.yml, runledger.json, Procfile found in the cwd or a directory above.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { RunledgerError } from '../../errors.js';

export const STACK_FILES = ['runledger.yaml', 'runledger.yml', 'runledger.json', 'Procfile'] as const;

export function findStackFile(explicit: string | undefined, cwd: string): string {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new RunledgerError('STACK_NOT_FOUND', `stack file not found: ${file}`, { file });
    return file;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of STACK_FILES) if (existsSync(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir)
      throw new RunledgerError('STACK_NOT_FOUND', `no ${STACK_FILES.join(', ')} in ${cwd} or any directory above it (or pass -f FILE)`, {
        cwd,
      });
  }
}
