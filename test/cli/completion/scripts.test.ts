import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { completionScript } from '../../../src/cli/completion/scripts.js';
import type { CompletionNode } from '../../../src/cli/completion/tree.js';

const opt = (flags: string[], takesValue = false, choices: string[] = []) => ({
  flags,
  description: `the ${flags[0]} flag`,
  takesValue,
  choices,
});
const tree: CompletionNode = {
  name: 'runledger',
  description: 'root',
  options: [opt(['--home'], true), opt(['--help', '-h'])],
  commands: [
    { name: 'run', description: 'start', options: [opt(['--restart'], true, ['never', 'always']), opt(['--name'], true)], commands: [] },
    {
      name: 'daemon',
      description: "the daemon's",
      options: [],
      commands: [{ name: 'start', description: 'go', options: [opt(['--foreground'])], commands: [] }],
    },
  ],
};

/** What bash completes for the words typed (the last one being completed). */
function complete(script: string, words: string[]): string[] {
  const probe = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _runledger; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', probe], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('bash', () => {
  const script = completionScript('bash', tree);
  it('completes commands, nested commands and flags by position', () => {
    expect(complete(script, ['runledger', 'r'])).toEqual(['run']);
    expect(complete(script, ['runledger', 'daemon', ''])).toEqual(['start']);
    expect(complete(script, ['runledger', 'daemon', 'start', '--f'])).toEqual(['--foreground']);
  });
  it("completes a flag's fixed values, nothing of ours for a free value, and leaves the child's command line alone", () => {
    expect(complete(script, ['runledger', 'run', '--restart', 'a'])).toEqual(['always']);
    expect(complete(script, ['runledger', 'run', '--name', ''])).toEqual([]);
    expect(complete(script, ['runledger', 'run', '--', 'r'])).toEqual([]);
  });
});

it('zsh reuses the bash functions through bashcompinit', () => {
  const script = completionScript('zsh', tree);
  expect(script.startsWith('#compdef runledger\n')).toBe(true);
  expect(script).toContain('bashcompinit');
  expect(script).toContain('complete -o default -F _runledger runledger');
});

it('fish has one line per command and flag, conditioned on the words typed', () => {
  const script = completionScript('fish', tree);
  expect(script).toContain("complete -c runledger -n '__fish_use_subcommand' -a 'run' -d 'start'");
  expect(script).toContain(
    "complete -c runledger -n '__fish_seen_subcommand_from daemon; and not __fish_seen_subcommand_from start' -a 'start' -d 'go'",
  );
  expect(script).toContain("-l restart -x -a 'never always'");
  expect(script).toContain("-a 'daemon' -d 'the daemon\\'s'");
});
