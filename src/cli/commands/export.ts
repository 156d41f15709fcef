/** `runledger export [--run ID] > log.ndjson`: stored envelopes exactly as hashed, one per line (always NDJSON). */
import { openReadBackend } from '../backend.js';
import { STREAMED, type CommandResult } from '../command.js';
import type { CliContext } from '../context.js';

export async function exportCommand(ctx: CliContext, run: string | undefined): Promise<CommandResult> {
  const backend = await openReadBackend(ctx);
  try {
    await backend.exportLog(run, (json) => ctx.out.write(json + '\n'));
    return STREAMED;
  } finally {
    await backend.close();
  }
}
