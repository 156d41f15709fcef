/**
 * The CLI entry point: parse, run one command, print its result (a table for
 * people, JSON with --json), and map every failure to an exit code in one
 * place (see failure.ts).
 */
import { readFileSync } from 'node:fs';
import { commander } from './cjs.js';
import type { CommandResult } from './command.js';
import type { CliContext } from './context.js';
import { describeFailure, EXIT_USAGE } from './failure.js';
import { buildProgram, invokedCommand } from './program.js';
import { styleFor } from './render/style.js';

const { CommanderError } = commander;

export async function main(argv: readonly string[] = process.argv): Promise<number> {
  quietOnClosedPipe();
  let ctx: CliContext | undefined;
  let result: CommandResult | undefined;
  const program = buildProgram(
    readVersion(),
    (_c, r) => (result = r),
    (c) => (ctx = c),
    invokedCommand(argv),
  );
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    return fail(err, ctx?.json ?? argv.includes('--json'));
  }
  if (!ctx || !result) return 0;
  print(ctx, result);
  return result.exitCode ?? 0;
}

function print(ctx: CliContext, result: CommandResult): void {
  if (result.value === undefined) return;
  const stream = !ctx.json && result.toStderr ? ctx.err : ctx.out;
  const text = ctx.json ? JSON.stringify(result.value) : result.human(styleFor(stream, ctx.env));
  if (text !== '') stream.write(text + '\n');
}

function fail(err: unknown, json: boolean): number {
  if (err instanceof CommanderError) {
    // --help and --version end here with exit code 0; everything else commander rejects is a usage error.
    if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync') return EXIT_USAGE;
    const message = err.message.replace(/^error: /, '');
    process.stderr.write(
      (json ? JSON.stringify({ error: { code: 'USAGE', message } }) : `error [USAGE]: ${message}\n(see runledger --help)`) + '\n',
    );
    return EXIT_USAGE;
  }
  const { exitCode, text } = describeFailure(err, json);
  process.stderr.write(text + '\n');
  return exitCode;
}

/** `runledger events | head`: a reader that went away is not an error; stop quietly like other Unix tools. */
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
