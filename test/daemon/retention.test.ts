import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOG_RETENTION, readLogRetention } from '../../src/daemon/retention.js';

const homes: string[] = [];
afterEach(() => homes.splice(0).forEach((h) => rmSync(h, { recursive: true, force: true })));
function homeWith(config?: unknown): string {
  const home = mkdtempSync(join(tmpdir(), 'rl-retention-'));
  homes.push(home);
  if (config !== undefined)
    writeFileSync(join(home, 'runledger.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return home;
}

describe("readLogRetention: the home's runledger.config.json", () => {
  it('defaults to 30d without a file or without the key', () => {
    expect(DEFAULT_LOG_RETENTION).toBe('30d');
    expect(readLogRetention(homeWith())).toBe('30d');
    expect(readLogRetention(homeWith({ templates: {} }))).toBe('30d');
  });

  it('takes a duration, and "never" turns it off', () => {
    expect(readLogRetention(homeWith({ retention: { logs: '7d' } }))).toBe('7d');
    expect(readLogRetention(homeWith({ retention: { logs: 'never' } }))).toBe(null);
  });

  it('a bad value keeps the default and says so', () => {
    for (const bad of [{ retention: { logs: 'soon' } }, { retention: { logs: 5 } }, '{ not json']) {
      const warnings: string[] = [];
      expect(readLogRetention(homeWith(bad), (m) => warnings.push(m))).toBe('30d');
      expect(warnings[0]).toMatch(/runledger\.config\.json: .*default log retention \(30d\)/);
    }
  });
});
