/** `runledger completion bash|zsh|fish`: generated from this very program, so it always matches it. */
import type { Command } from 'commander';
import { usageError } from '../failure.js';
import type { Define } from './define.js';

export function registerCompletionCommands(define: Define, program: Command): void {
  define('completion <shell>', 'print a completion script for bash, zsh or fish (see README: Shell completion)', async (_ctx, [shell]) => {
    const { SHELLS, completionScript } = await import('../completion/scripts.js');
    const { completionTree } = await import('../completion/tree.js');
    if (!(SHELLS as readonly string[]).includes(shell!))
      throw usageError(`completion: expected one of ${SHELLS.join(', ')}, got ${JSON.stringify(shell)}`);
    const script = completionScript(shell as (typeof SHELLS)[number], completionTree(program));
    return { value: { shell, script }, human: () => script.trimEnd() };
  });
}
