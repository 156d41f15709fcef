/**
 * `runledger salvage`: move the damaged ledger directory aside (kept, never
 * deleted), build a new ledger from its verified prefix, and record what was
 * done in a LedgerSalvaged event. The checkpoint file moves aside too: its
 * anchors describe the old log, and the new ledger starts anchoring afresh.
 * The caller must own the home (no daemon): the LevelDB lock enforces it.
 */
import { existsSync, renameSync } from 'node:fs';
import { anchorStore } from '../anchor/anchor-store.js';
import { anchorPaths } from '../anchor/paths.js';
import { RunledgerError } from '../errors.js';
import type { Head } from '../store/event-store.js';
import { openLedger, openLevelBackend } from '../store/level-store.js';
import { restoreLedger } from '../store/restore.js';
import { decideSalvage, SALVAGE_STREAM, type SalvageFindings } from './decide-salvage.js';
import { createPrefixChecker } from './verified-prefix.js';

const PAGE = 1000;

export interface SalvageReport extends SalvageFindings {
  /** The new ledger's head, after LedgerSalvaged. */
  head: Head;
}

interface Survey {
  kept: number;
  reason: string | undefined;
  lastStored: number;
  previousHead: number;
}

/** Read the whole damaged log once: where the verified prefix ends, and how far the log goes. */
async function survey(dir: string): Promise<Survey> {
  const { backend, close } = await openLevelBackend(dir);
  try {
    const checker = createPrefixChecker();
    let reason: string | undefined;
    let lastStored = 0;
    for await (const page of backend.scanLog(1, PAGE)) {
      for (const record of page) {
        if (reason === undefined) reason = checker.check(record);
        lastStored = record.position;
      }
    }
    const { head, damage } = await backend.loadHead();
    // The records may all check out while the head does not: the new ledger rebuilds it (and the indexes).
    if (reason === undefined && checker.kept !== head.position)
      reason = damage?.reason ?? `the recorded head is ${head.position} but the log ends at ${checker.kept}`;
    if (reason === undefined && checker.kept > 0 && checker.lastHash !== head.hash)
      reason = 'the recorded head hash differs from the last record';
    return { kept: checker.kept, reason, lastStored, previousHead: head.position };
  } finally {
    await close();
  }
}

/** verify() is the one place that knows the index rules; asked only when every record checked out. */
async function indexReason(dir: string): Promise<string | undefined> {
  const store = await openLedger({ dir });
  try {
    const v = await store.verify();
    return v.ok ? undefined : `position ${v.firstBad?.position}: ${v.firstBad?.reason}`;
  } finally {
    await store.close();
  }
}

async function* keptPages(dir: string, kept: number): AsyncGenerator<string[]> {
  const { backend, close } = await openLevelBackend(dir);
  try {
    for await (const page of backend.scanLog(1, PAGE)) {
      const lines = page.filter((r) => r.position <= kept).map((r) => r.json);
      if (lines.length > 0) yield lines;
      if (page.some((r) => r.position >= kept)) return;
    }
  } finally {
    await close();
  }
}

export async function salvageLedger(options: {
  home: string;
  ledgerDir: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}): Promise<SalvageReport> {
  const { ledgerDir } = options;
  if (!existsSync(ledgerDir)) throw new RunledgerError('NOTHING_TO_SALVAGE', `there is no ledger at ${ledgerDir}`, { dir: ledgerDir });
  const found = await survey(ledgerDir);
  found.reason ??= await indexReason(ledgerDir);
  if (found.reason === undefined)
    throw new RunledgerError('NOTHING_TO_SALVAGE', `the ledger at ${ledgerDir} verifies; there is nothing to salvage`, { dir: ledgerDir });
  const stamp = new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-');
  const movedTo = `${ledgerDir}.damaged-${stamp}`;
  renameSync(ledgerDir, movedTo);
  await restoreLedger(ledgerDir, keptPages(movedTo, found.kept));
  const checkpoints = anchorPaths(options.home, options.env).checkpoints;
  let checkpointsMovedTo: string | null = null;
  if (existsSync(checkpoints)) {
    checkpointsMovedTo = `${checkpoints}.damaged-${stamp}`;
    renameSync(checkpoints, checkpointsMovedTo);
  }
  const findings: SalvageFindings = {
    stoppedAt: found.kept + 1,
    reason: found.reason,
    kept: found.kept,
    leftBehind: Math.max(found.lastStored, found.previousHead) - found.kept,
    previousHead: found.previousHead,
    movedTo,
    checkpointsMovedTo,
  };
  // Opened as a writer with anchors, so closing it writes the new ledger's first checkpoint.
  const store = anchorStore(await openLedger({ dir: ledgerDir }), options.home, options.env ? { env: options.env } : {});
  try {
    await store.append(SALVAGE_STREAM, decideSalvage(findings));
    return { ...findings, head: await store.head() };
  } finally {
    await store.close();
  }
}
