import { Command, Option } from 'commander';
import { expect, it } from 'vitest';
import { completionTree } from '../../../src/cli/completion/tree.js';

it('reads commands, nested commands, flags, values and choices from a commander program', () => {
  const program = new Command('tool').option('--home <dir>', 'where');
  program
    .command('run')
    .option('-n, --name <name>', 'a name')
    .addOption(new Option('--mode <m>', 'mode').choices(['a', 'b']));
  program.command('daemon').command('start').option('--foreground', 'here');
  const tree = completionTree(program);
  expect(tree.commands.map((c) => c.name)).toEqual(['run', 'daemon']);
  const run = tree.commands[0]!;
  expect(run.options.find((o) => o.flags.includes('--name'))).toMatchObject({ flags: ['--name', '-n'], takesValue: true, choices: [] });
  expect(run.options.find((o) => o.flags.includes('--mode'))!.choices).toEqual(['a', 'b']);
  const start = tree.commands[1]!.commands[0]!;
  expect(start.options.find((o) => o.flags.includes('--foreground'))!.takesValue).toBe(false);
  expect(tree.options.map((o) => o.flags[0])).toEqual(['--home', '--help']);
});
