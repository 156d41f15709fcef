/** importExport over a real LevelDB home: refuses what does not verify, before touching anything. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatTrailer } from '../../src/anchor/export-trailer.js';
import { loadOrCreateKey } from '../../src/anchor/key-files.js';
import { anchorPaths } from '../../src/anchor/paths.js';
import { importExport } from '../../src/recovery/import-export.js';
import { createMemoryLedger } from '../../src/store/memory-store.js';
import { makeTempDir, rejectionOf, removeDir, startedMany } from '../store/helpers.js';

describe('importExport', () => {
  let home: string;
  let lines: string[];
  let trailer: string;
  beforeEach(async () => {
    home = await makeTempDir();
    const source = createMemoryLedger();
    await source.append('supervisor', startedMany(14));
    lines = [];
    for await (const page of source.scanStored()) lines.push(...page);
    trailer = formatTrailer(await source.head(), '2026-01-01T00:00:00.000Z', loadOrCreateKey(anchorPaths(home, {})));
  });
  afterEach(() => removeDir(home));

  const importFile = (text: string) => {
    const file = join(home, 'export.ndjson');
    writeFileSync(file, text);
    return importExport({ home, ledgerDir: join(home, 'ledger'), file, env: {} });
  };

  it('imports a whole export and anchors its head', async () => {
    const r = await importFile([...lines, trailer].join('\n') + '\n');
    expect(r).toMatchObject({ imported: 14, head: { position: 14 }, checkpointsMovedTo: null });
    expect(existsSync(join(home, 'checkpoints.ndjson'))).toBe(true);
  });

  it('refuses an export cut short, and creates no ledger', async () => {
    const err = await rejectionOf(importFile(lines.slice(0, 9).join('\n') + '\n'));
    expect(err).toMatchObject({ code: 'EXPORT_TRUNCATED' });
    expect(err.message).toMatch(/nothing was imported/);
    expect(existsSync(join(home, 'ledger'))).toBe(false);
  });
});
