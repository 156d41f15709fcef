/**
 * `runledger verify`: the hash chain, the signed checkpoints outside the
 * ledger, and (--anchor) an anchor the user kept; `--file` verifies an
 * export instead. Exit 1 when anything does not check out.
 */
import { readFile } from 'node:fs/promises';
import type { UserAnchor } from '../../anchor/user-anchor.js';
import { RunledgerError } from '../../errors.js';
import { openReadBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT_ERROR } from '../failure.js';
import { renderVerify } from '../render/verify.js';

export interface VerifyFlags {
  anchor?: UserAnchor;
  file?: string;
}

export async function verifyCommand(ctx: CliContext, flags: VerifyFlags = {}): Promise<CommandResult> {
  if (flags.file !== undefined) return verifyFile(ctx, flags.file);
  const backend = await openReadBackend(ctx);
  try {
    const result = await backend.verify(flags.anchor ? { anchor: flags.anchor } : {});
    const value = { source: backend.source, ...result };
    return { value, human: (style) => renderVerify(result, style), ...(result.ok ? {} : { exitCode: EXIT_ERROR }) };
  } finally {
    await backend.close();
  }
}

async function verifyFile(ctx: CliContext, file: string): Promise<CommandResult> {
  const [{ verifyExportText }, { loadPublicKey }, { anchorPaths }] = await Promise.all([
    import('../../anchor/verify-export.js'),
    import('../../anchor/key-files.js'),
    import('../../anchor/paths.js'),
  ]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new RunledgerError(
      'LEDGER_IO',
      `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      { file },
      { cause },
    );
  }
  const result = await verifyExportText(text, loadPublicKey(anchorPaths(await ctx.home(), ctx.env)));
  const value = { source: 'file', file, ...result };
  return { value, human: (style) => renderVerify(result, style), ...(result.ok ? {} : { exitCode: EXIT_ERROR }) };
}
