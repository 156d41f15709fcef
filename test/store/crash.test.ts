/**
 * Durability under SIGKILL: a child process appends in a loop and prints each
 * acknowledged position; we kill it mid-stream, reopen, and every
 * acknowledged event must be there, gap-free, with a clean hash chain.
 * The child runs the built store (dist/), so `npm test` builds first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { openLedger } from '../../src/store/level-store.js';
import { assertStoreBuilt, makeTempDir, removeDir } from './helpers.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');
const storeEntry = join(root, 'dist/store/index.js');
const ACKS_BEFORE_KILL = 300;

let child: ChildProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
  if (dir) await removeDir(dir);
});

it('every acknowledged append survives SIGKILL', async () => {
  assertStoreBuilt(storeEntry);
  dir = await makeTempDir();
  const ledgerDir = join(dir, 'ledger');
  const proc = spawn(process.execPath, [join(here, 'crash-child.mjs'), storeEntry, ledgerDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const acked: number[] = [];
  let lockCheck: Promise<string> | undefined;
  // While the child holds the ledger, opening it here must be refused.
  const checkLocked = () =>
    openLedger({ dir: ledgerDir }).then(
      async (s) => {
        await s.close();
        return 'opened';
      },
      (err: { code?: string }) => String(err.code),
    );
  const exited = new Promise<void>((res) => proc.on('exit', () => res()));
  await new Promise<void>((res, rej) => {
    let buffer = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready') lockCheck = checkLocked();
        else acked.push(Number(line));
      }
      if (acked.length >= ACKS_BEFORE_KILL && !proc.killed) {
        proc.kill('SIGKILL');
        res();
      }
    });
    proc.on('exit', (code) => (acked.length < ACKS_BEFORE_KILL ? rej(new Error(`child exited early (${code}): ${stderr}`)) : res()));
  });
  await exited;
  expect(await lockCheck).toBe('LEDGER_LOCKED');

  const store = await openLedger({ dir: ledgerDir });
  try {
    const head = await store.head();
    const positions: number[] = [];
    for await (const page of store.scan()) for (const e of page) positions.push(e.position);
    expect(positions).toEqual(Array.from({ length: head.position }, (_, i) => i + 1));
    const present = new Set(positions);
    expect(acked.filter((p) => !present.has(p))).toEqual([]);
    expect(head.position).toBeGreaterThanOrEqual(Math.max(...acked));
    expect(await store.verify()).toEqual({ ok: true, checked: head.position, head });
    const next = await store.append('after-crash', [
      { type: 'SupervisorStarted', data: { supervisorId: 'x', pid: 1, version: '0', bootId: 'b', hostname: 'h' } },
    ]);
    expect(next.positions).toEqual([head.position + 1]);
  } finally {
    await store.close();
  }
});
