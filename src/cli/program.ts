/**
 * The command tree. Only commander and the option parsers load up front;
 * each action imports its command module when it runs, so `runledger ps`
 * never loads what `run` or the ledger need. When argv names a command, only
 * that command gets its options (start-up, see invokedCommand below).
 */
import type { Command } from 'commander';
import { commander } from './cjs.js';
import type { CommandResult } from './command.js';
import { createContext, type CliContext, type GlobalFlags } from './context.js';
import { addGlobalOptions, GLOBAL_VALUE_FLAGS } from './options.js';
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

/** Commands that read the whole tree (completion scripts are generated from it). */
const NEEDS_WHOLE_TREE = new Set(['completion', 'help']);

/**
 * The command word of argv (its first word that is neither an option nor a
 * global option's value), or undefined when there is none or the command
 * needs the whole tree. Building one command's options instead of every
 * command's was a third of `--version`'s own time.
 */
export function invokedCommand(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return undefined;
    if (GLOBAL_VALUE_FLAGS.includes(word)) i += 1;
    else if (!word.startsWith('-')) return NEEDS_WHOLE_TREE.has(word) ? undefined : word;
  }
  return undefined;
}

/** Stands in for the commands argv did not name: every method call is accepted and ignored. */
const IGNORED: Command = new Proxy(function ignored() {}, { get: () => () => IGNORED }) as unknown as Command;

/**
 * The program. With `only`, the other top-level commands are left out; when
 * `only` names no command (a typo, an alias), the whole tree is built so
 * commander can say so and suggest one.
 */
export function buildProgram(version: string, onResult: OnResult, onContext: (ctx: CliContext) => void, only?: string): Command {
  if (only !== undefined) {
    const program = buildTree(version, onResult, onContext, only);
    if (program.commands.some((c) => c.name() === only)) return program;
  }
  return buildTree(version, onResult, onContext, undefined);
}

function buildTree(version: string, onResult: OnResult, onContext: (ctx: CliContext) => void, only: string | undefined): Command {
  const program = new CommandClass('runledger')
    .description('An event-sourced process supervisor: every spawn, signal and exit is an immutable event in a ledger.')
    .version(version, '-V, --version')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError();
  addGlobalOptions(program);

  const command = (spec: string, description: string, act: Action, parent: Command = program) => {
    if (only !== undefined && topLevelName(spec, parent, program) !== only) return IGNORED;
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

/** The name of the top-level command `spec` is (or is under). */
function topLevelName(spec: string, parent: Command, program: Command): string {
  if (parent === program) return spec.split(' ')[0]!;
  let top = parent;
  while (top.parent && top.parent !== program) top = top.parent;
  return top.name();
}

/** The argv the program parsed (commander keeps it on the root as `rawArgs`, which its typings leave out). */
function rawArgsOf(cmd: Command): readonly string[] {
  let root = cmd;
  while (root.parent) root = root.parent;
  return (root as unknown as { rawArgs?: string[] }).rawArgs ?? process.argv;
}
