/**
 * The program builds only the command argv names (start-up), and the whole
 * tree whenever that could change what the user sees: no command word, a
 * typo or alias commander must judge, help and completion.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, invokedCommand } from '../../src/cli/program.js';

const argv = (...words: string[]) => ['node', 'runledger', ...words];
const build = (only?: string) =>
  buildProgram(
    '1.2.3',
    () => undefined,
    () => undefined,
    only,
  );
const optionsOf = (only: string | undefined, name: string) => build(only).commands.find((c) => c.name() === name)?.options.length ?? 0;

describe('invokedCommand', () => {
  it("finds the command word after global options and their values, even a value that is a command's name", () => {
    expect(invokedCommand(argv('ps'))).toBe('ps');
    expect(invokedCommand(argv('--home', 'ps', '--json', 'show', 'x'))).toBe('show');
    expect(invokedCommand(argv('--config', 'c.json', 'daemon', 'status'))).toBe('daemon');
  });

  it('is undefined with no command word, after --, or for help and completion (they read the whole tree)', () => {
    expect(invokedCommand(argv('--version'))).toBeUndefined();
    expect(invokedCommand(argv('--json', '--', 'ps'))).toBeUndefined();
    expect(invokedCommand(argv('help', 'ps'))).toBeUndefined();
    expect(invokedCommand(argv('completion', 'bash'))).toBeUndefined();
  });
});

describe('buildProgram', () => {
  it('gives only the named command its options; the whole tree is the same without a name', () => {
    const whole = build(undefined);
    const onlyPs = build('ps');
    expect(optionsOf('ps', 'ps')).toBe(optionsOf(undefined, 'ps'));
    expect(optionsOf('ps', 'run')).toBe(0);
    expect(optionsOf(undefined, 'run')).toBeGreaterThan(10);
    expect(onlyPs.commands.map((c) => c.name())).toContain('ps');
    expect(whole.commands.length).toBeGreaterThan(20);
  });

  it('builds subcommands of the named group (daemon status) and the whole tree for a name that is no command', () => {
    const daemon = build('daemon').commands.find((c) => c.name() === 'daemon')!;
    expect(daemon.commands.map((c) => c.name())).toEqual(expect.arrayContaining(['start', 'stop', 'status']));
    expect(build('pss').commands.length).toBe(build(undefined).commands.length);
  });
});
