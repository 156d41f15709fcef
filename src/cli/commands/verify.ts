/** `runledger verify`: check the hash chain; exit 1 when it is broken. */
import { openReadBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT_ERROR } from '../failure.js';
import { renderVerify } from '../render/reports.js';

export async function verifyCommand(ctx: CliContext): Promise<CommandResult> {
  const backend = await openReadBackend(ctx);
  try {
    const result = await backend.verify();
    const value = { source: backend.source, ...result };
    return { value, human: (style) => renderVerify(result, style), ...(result.ok ? {} : { exitCode: EXIT_ERROR }) };
  } finally {
    await backend.close();
  }
}
