/** `runledger attach ID`: hand the terminal to tmux for tmux runs; background runs get a clear NOT_ATTACHABLE. */
import { spawnSync } from 'node:child_process';
import { openBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';

export async function attachCommand(ctx: CliContext, id: string): Promise<CommandResult> {
  const backend = await openBackend(ctx);
  let target: { command: string; args: string[] };
  try {
    target = await backend.attach(id);
  } finally {
    await backend.close();
  }
  if (ctx.json || !process.stdin.isTTY) return { value: target, human: () => [target.command, ...target.args].join(' ') };
  // No shell: the daemon names the program and its argv.
  const r = spawnSync(target.command, target.args, { stdio: 'inherit' });
  return { value: target, human: () => '', exitCode: r.status ?? 1 };
}
