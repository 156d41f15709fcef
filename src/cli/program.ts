/**
 * The command tree. Only commander and the option parsers load up front;
 * each action imports its command module when it runs, so `runledger ps`
 * never loads what `run` or the ledger need.
 */
import type { Command } from 'commander';
import { commander } from './cjs.js';
import type { CommandResult } from './command.js';
import { createContext, type CliContext, type GlobalFlags } from './context.js';
import { addGlobalOptions } from './options.js';
import { registerCompletionCommands } from './program/completion.js';
import { registerFleetCommands } from './program/fleet.js';
import { registerDaemonCommands } from './program/daemon.js';
import { registerHousekeepingCommands } from './program/housekeeping.js';
import type { Action, Opts, Register } from './program/define.js';
import { registerLedgerCommands } from './program/ledger.js';
import { registerMcpCommands } from './program/mcp.js';
import { registerRunCommands } from './program/runs.js';
import { registerWaitCommands } from './program/wait.js';
import { registerStackCommands } from './program/stacks.js';
import { registerUiCommands } from './program/ui.js';

const { Command: CommandClass } = commander;

/** One line per command group, in the order `--help` lists them. */
// prettier-ignore
const COMMAND_GROUPS: readonly Register[] = [
  registerRunCommands,
  registerLedgerCommands,
  registerDaemonCommands,
  registerCompletionCommands,
  registerMcpCommands,
  registerWaitCommands,
  registerHousekeepingCommands,
  registerStackCommands,
  registerFleetCommands,
  registerUiCommands,
];

export type OnResult = (ctx: CliContext, result: CommandResult) => void;

export function buildProgram(version: string, onResult: OnResult, onContext: (ctx: CliContext) => void): Command {
  const program = new CommandClass('runledger')
    .description('An event-sourced process supervisor: every spawn, signal and exit is an immutable event in a ledger.')
    .version(version, '-V, --version')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError();
  addGlobalOptions(program);

  const command = (spec: string, description: string, act: Action, parent: Command = program) => {
    const cmd = addGlobalOptions(parent.command(spec).description(description));
    cmd.action(async (...raw: unknown[]) => {
      const self = raw[raw.length - 1] as Command;
      const opts = self.optsWithGlobals<Opts>();
      const ctx = createContext(opts as GlobalFlags, rawArgsOf(self));
      onContext(ctx);
      const args = raw.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a : a === undefined ? [] : [a])) as string[];
      onResult(ctx, await act(ctx, args, opts));
    });
    return cmd;
  };

  for (const register of COMMAND_GROUPS) register(command, program);
  return program;
}

/** The argv the program parsed (commander keeps it on the root as `rawArgs`, which its typings leave out). */
function rawArgsOf(cmd: Command): readonly string[] {
  let root = cmd;
  while (root.parent) root = root.parent;
  return (root as unknown as { rawArgs?: string[] }).rawArgs ?? process.argv;
}
