/**
 * What every command group needs to add its commands: one `command()` that
 * wires global options, context creation and result printing, so each group
 * file only says what its commands are (and new groups never touch the others).
 */
import type { Command } from 'commander';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';

export type Opts = Record<string, unknown>;
export type Action = (ctx: CliContext, args: string[], opts: Opts) => Promise<CommandResult>;
/** Adds `spec` under `parent` (default: the program) and returns it for options. */
export type Define = (spec: string, description: string, act: Action, parent?: Command) => Command;
/** A command group: registers its commands with `define`. */
export type Register = (define: Define, program: Command) => void;

export function pick(o: Opts, keys: string[]): Opts {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
