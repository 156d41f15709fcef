/**
 * `runledger export [--run ID] > log.ndjson`: stored envelopes exactly as
 * hashed, one per line (always NDJSON). A full export ends with a trailer
 * signed by the home's anchor key naming the last position and hash, so an
 * export cut short fails `verify --file`. A one-run export is not a chain and
 * gets no trailer.
 */
import { mkdirSync } from 'node:fs';
import { openReadBackend } from '../backend.js';
import { STREAMED, type CommandResult } from '../command.js';
import type { CliContext } from '../context.js';

export async function exportCommand(ctx: CliContext, run: string | undefined): Promise<CommandResult> {
  const backend = await openReadBackend(ctx);
  let last: string | undefined;
  try {
    await backend.exportLog(run, (json) => {
      last = json;
      ctx.out.write(json + '\n');
    });
  } finally {
    await backend.close();
  }
  if (run === undefined) ctx.out.write((await signedTrailer(ctx, last)) + '\n');
  return STREAMED;
}

async function signedTrailer(ctx: CliContext, lastJson: string | undefined): Promise<string> {
  const [{ formatTrailer }, { loadOrCreateKey }, { anchorPaths }] = await Promise.all([
    import('../../anchor/export-trailer.js'),
    import('../../anchor/key-files.js'),
    import('../../anchor/paths.js'),
  ]);
  const home = await ctx.home();
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const last = lastJson === undefined ? undefined : (JSON.parse(lastJson) as { position: number; hash: string });
  const head = last ? { position: last.position, hash: last.hash } : { position: 0, hash: '' };
  return formatTrailer(head, new Date(ctx.now()).toISOString(), loadOrCreateKey(anchorPaths(home, ctx.env)));
}
