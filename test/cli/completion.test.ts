/** `runledger completion`: the script the real binary prints completes the real commands in a real bash. */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { runCli } from './helpers.js';

it('bash: commands, subcommands, flags and choices of the actual program', async () => {
  const r = await runCli(['completion', 'bash']);
  expect(r.code, r.stderr).toBe(0);
  const complete = (words: string[]) => {
    const probe = `${r.stdout}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _runledger; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return spawnSync('bash', ['-c', probe], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  };
  expect(complete(['runledger', 're'])).toEqual(expect.arrayContaining(['restart', 'rerun', 'replay', 'reconcile']));
  expect(complete(['runledger', 'daemon', 'ins'])).toEqual(['install']);
  expect(complete(['runledger', 'run', '--restart', ''])).toEqual(['never', 'on-failure', 'always']);
  expect(complete(['runledger', 'completion', ''])).not.toContain('never');
});

it('an unknown shell is a usage error naming the ones there are', async () => {
  const r = await runCli(['completion', 'powershell']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/error \[USAGE\].*bash, zsh, fish/);
});
