import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatTrailer } from '../../src/anchor/export-trailer.js';
import { keyFromPrivatePem } from '../../src/anchor/signing.js';
import { verifyExportText } from '../../src/anchor/verify-export.js';
import { createMemoryLedger } from '../../src/store/memory-store.js';
import { startedMany } from '../store/helpers.js';

const key = keyFromPrivatePem(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
const time = '2026-01-01T00:00:00.000Z';

async function exportOf(n: number): Promise<{ lines: string[]; head: { position: number; hash: string } }> {
  const store = createMemoryLedger();
  await store.append('supervisor', startedMany(n));
  const lines: string[] = [];
  for await (const page of store.scanStored()) lines.push(...page);
  return { lines, head: await store.head() };
}

describe('verifyExportText', () => {
  it('a whole export with its trailer verifies, and says whose key signed it', async () => {
    const { lines, head } = await exportOf(14);
    const text = [...lines, formatTrailer(head, time, key)].join('\n') + '\n';
    expect(await verifyExportText(text, key)).toEqual({ ok: true, checked: 14, head, trailer: { key: key.id, time, homeKey: true } });
    expect((await verifyExportText(text)).trailer?.homeKey).toBe(false);
  });

  it('cut after line 9 of 14: EXPORT_TRUNCATED at position 10', async () => {
    const { lines } = await exportOf(14);
    expect(await verifyExportText(lines.slice(0, 9).join('\n'))).toMatchObject({
      ok: false,
      code: 'EXPORT_TRUNCATED',
      firstBad: { position: 10 },
    });
  });

  it('the tail cut with an old trailer moved up: EXPORT_TRUNCATED', async () => {
    const { lines, head } = await exportOf(14);
    const text = [...lines.slice(0, 9), formatTrailer(head, time, key)].join('\n');
    expect(await verifyExportText(text)).toMatchObject({ ok: false, code: 'EXPORT_TRUNCATED', firstBad: { position: 10 } });
  });

  it('an edited event is CORRUPT_LEDGER; a forged trailer is ANCHOR_BAD_SIGNATURE', async () => {
    const { lines, head } = await exportOf(3);
    const edited = JSON.parse(lines[1]!);
    edited.data.pid = 1;
    expect(await verifyExportText([lines[0], JSON.stringify(edited), lines[2], formatTrailer(head, time, key)].join('\n'))).toMatchObject({
      ok: false,
      code: 'CORRUPT_LEDGER',
      firstBad: { position: 2 },
    });
    const forged = JSON.parse(formatTrailer(head, time, key));
    forged.position = 2;
    expect(await verifyExportText([lines[0], lines[1], JSON.stringify(forged)].join('\n'))).toMatchObject({
      ok: false,
      code: 'ANCHOR_BAD_SIGNATURE',
    });
  });
});
