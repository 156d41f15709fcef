/**
 * The key that seals projection snapshots (an HMAC key, 32 random bytes) in
 * `<home>/snapshot.key`, 0600 — in the home, outside the ledger directory,
 * so a copy or an edit of the ledger directory alone cannot forge a seal.
 * Created by the first process that needs it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_BYTES = 32;

export function snapshotKeyPath(home: string): string {
  return join(home, 'snapshot.key');
}

/** The home's snapshot key, created (exclusively, 0600) when there is none. */
export function loadSnapshotKey(home: string): Buffer {
  const path = snapshotKeyPath(home);
  const existing = readKey(path);
  if (existing) return existing;
  try {
    writeFileSync(path, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const created = readKey(path);
  if (!created) throw new Error(`snapshot key ${path} is not ${KEY_BYTES} bytes`);
  return created;
}

function readKey(path: string): Buffer | undefined {
  try {
    const key = readFileSync(path);
    return key.length === KEY_BYTES ? key : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
