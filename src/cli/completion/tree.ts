/**
 * The command tree as plain data, read from the commander program itself, so
 * shell completion can never drift from the real commands and flags.
 */
import type { Command, Option } from 'commander';

export interface CompletionOption {
  /** Every spelling: `--name`, and `-n` when there is one. */
  flags: string[];
  description: string;
  /** Whether a value follows the flag. */
  takesValue: boolean;
  /** Fixed values (commander `.choices()`), if any. */
  choices: string[];
}

export interface CompletionNode {
  name: string;
  description: string;
  options: CompletionOption[];
  commands: CompletionNode[];
}

export function completionTree(cmd: Command): CompletionNode {
  return {
    name: cmd.name(),
    description: cmd.description(),
    options: [...cmd.options.map(optionOf), HELP],
    commands: cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map(completionTree),
  };
}

const HELP: CompletionOption = { flags: ['--help', '-h'], description: 'display help for command', takesValue: false, choices: [] };

function optionOf(o: Option): CompletionOption {
  return {
    flags: [o.long, o.short].filter((f): f is string => typeof f === 'string'),
    description: o.description,
    takesValue: o.required || o.optional,
    choices: o.argChoices ? [...o.argChoices] : [],
  };
}
