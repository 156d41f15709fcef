/** Stacks: `up`, `down` (runledger.yaml or a Procfile) and `schema stack`. */
import type { Command } from 'commander';
import { duration } from '../parse.js';
import type { Define } from './define.js';

export function registerStackCommands(define: Define, _program: Command): void {
  define(
    'up [names...]',
    'start the stack (runledger.yaml / Procfile in the cwd or above) in dependency order; only NAMEs and their dependencies if given',
    async (ctx, names, o) => (await import('../commands/stack.js')).upCommand(ctx, names, o),
  )
    .option('-f, --file <file>', 'the stack file (default: runledger.yaml, runledger.yml, runledger.json or Procfile, here or above)')
    .option('--wait', 'also wait until every process is ready (or completed)')
    .option('--timeout <duration>', 'deadline of each dependency wait (default 60s; a bare number is seconds)', duration('--timeout'));
  define(
    'down [names...]',
    'stop the stack in reverse dependency order; only NAMEs and what depends on them if given',
    async (ctx, names, o) => (await import('../commands/stack.js')).downCommand(ctx, names, o),
  )
    .option('-f, --file <file>', 'the stack file (default: as for up)')
    .option('--wait', 'answer once every stopped process has ended');
  define('schema <what>', 'print a JSON Schema (what: stack — for editors validating runledger.yaml)', async (ctx, [what]) =>
    (await import('../commands/stack.js')).schemaCommand(ctx, what!),
  );
}
