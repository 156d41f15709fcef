/**
 * commander and picocolors are CommonJS. The CLI runs from an esbuild bundle
 * (scripts/bundle-cli.mjs) that inlines them, so neither Node's module loader
 * nor its named-export scan runs for them on a command's start-up path.
 * Imported through this one module so the choice stays in one place.
 */
import * as commanderModule from 'commander';
import picocolorsModule from 'picocolors';

export const commander = commanderModule as unknown as typeof import('commander');
export const picocolors = picocolorsModule as unknown as typeof import('picocolors');
