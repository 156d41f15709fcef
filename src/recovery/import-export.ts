/**
 * `runledger import FILE`: build the home's ledger from an export that
 * verifies (chain and signed trailer), records copied exactly as stored so
 * every hash holds. Only into an empty ledger. A checkpoint file left from an
 * earlier ledger is moved aside (kept): its anchors describe another log.
 */
import { existsSync, renameSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { anchorStore } from '../anchor/anchor-store.js';
import { anchorPaths } from '../anchor/paths.js';
import { verifyExportText, type ExportVerifyResult } from '../anchor/verify-export.js';
import { loadPublicKey } from '../anchor/key-files.js';
import { RunledgerError } from '../errors.js';
import type { Head } from '../store/event-store.js';
import { openLedger } from '../store/level-store.js';
import { restoreLedger } from '../store/restore.js';

const PAGE = 1000;

export interface ImportReport {
  file: string;
  imported: number;
  head: Head;
  trailer: ExportVerifyResult['trailer'];
  checkpointsMovedTo: string | null;
}

function* pagesOf(lines: readonly string[]): Generator<string[]> {
  for (let i = 0; i < lines.length; i += PAGE) yield lines.slice(i, i + PAGE);
}

export async function importExport(options: {
  home: string;
  ledgerDir: string;
  file: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}): Promise<ImportReport> {
  let text: string;
  try {
    text = await readFile(options.file, 'utf8');
  } catch (cause) {
    throw new RunledgerError(
      'LEDGER_IO',
      `cannot read ${options.file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      { file: options.file },
      { cause },
    );
  }
  const paths = anchorPaths(options.home, options.env);
  const verified = await verifyExportText(text, loadPublicKey(paths));
  if (!verified.ok) {
    const at = verified.firstBad ? ` at position ${verified.firstBad.position}: ${verified.firstBad.reason}` : '';
    throw new RunledgerError(verified.code ?? 'CORRUPT_LEDGER', `${options.file} does not verify${at}; nothing was imported`, {
      file: options.file,
      ...(verified.firstBad ? { firstBad: verified.firstBad } : {}),
    });
  }
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, verified.head.position);
  const head = await restoreLedger(options.ledgerDir, pagesOf(lines));
  let checkpointsMovedTo: string | null = null;
  if (existsSync(paths.checkpoints)) {
    checkpointsMovedTo = `${paths.checkpoints}.replaced-${new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-')}`;
    renameSync(paths.checkpoints, checkpointsMovedTo);
  }
  // Opening and closing as a writer anchors the imported head in a fresh checkpoint file.
  const store = anchorStore(await openLedger({ dir: options.ledgerDir }), options.home, options.env ? { env: options.env } : {});
  await store.close();
  return { file: options.file, imported: lines.length, head, trailer: verified.trailer, checkpointsMovedTo };
}
