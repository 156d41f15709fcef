/**
 * A real failing fdatasync: a child Node process runs the LevelDB ledger with
 * an LD_PRELOAD fault injector (fsync-fault.c, compiled here with cc) and
 * reports every append's outcome; the parent reopens the ledger and checks
 * that no append reported failed is stored, every acknowledged one is, the
 * positions are gap-free and verify is clean. The child runs the built store
 * (dist/), like crash.test.ts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { openLedger } from '../../src/store/level-store.js';
import { assertStoreBuilt, makeTempDir, removeDir } from './helpers.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const storeEntry = join(resolve(here, '../..'), 'dist/store/index.js');

interface Outcome {
  phase: string;
  id: string;
  ok: boolean;
  positions?: number[];
  code?: string;
  details?: Record<string, unknown>;
}

let dir: string | undefined;
afterEach(async () => {
  if (dir) await removeDir(dir);
});

function compileInjector(out: string): string {
  const lib = join(out, 'fsync-fault.so');
  execFileSync(process.env.CC ?? 'cc', ['-O2', '-Wall', '-shared', '-fPIC', '-o', lib, join(here, 'fsync-fault.c'), '-ldl'], {
    stdio: 'pipe',
  });
  return lib;
}

/** Runs the child to completion (it exits by itself) and returns its outcome lines. */
function runChild(lib: string, ledgerDir: string, faultDir: string): Promise<Outcome[]> {
  const env = { ...process.env, LD_PRELOAD: lib, FSYNC_FAULT_DIR: faultDir };
  const proc = spawn(process.execPath, [join(here, 'fsync-fault-child.mjs'), storeEntry, ledgerDir, faultDir], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (err += d));
  return new Promise((res, rej) => {
    proc.on('error', rej);
    proc.on('exit', (code) => {
      const lines = out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Outcome & { done?: boolean });
      if (code !== 0 || !lines.some((l) => l.done)) rej(new Error(`fault child exited ${code}: ${err}`));
      else res(lines.filter((l) => !l.done));
    });
  });
}

it('a failed fdatasync never reports a stored append as failed, and appends go on without a restart', async () => {
  assertStoreBuilt(storeEntry);
  dir = await makeTempDir();
  const faultDir = join(dir, 'faults');
  mkdirSync(faultDir);
  const ledgerDir = join(dir, 'ledger');
  const outcomes = await runChild(compileInjector(dir), ledgerDir, faultDir);
  const byPhase = (p: string) => outcomes.filter((o) => o.phase === p);

  // The fault really fired inside LevelDB.
  const injected = () => readFileSync(join(faultDir, 'injected'), 'utf8').split('\n').filter(Boolean);
  expect(injected()).toContain('fdatasync');
  // A failed fdatasync after LevelDB wrote its log: the batch is there after the reopen, so it is acknowledged.
  expect(byPhase('fsync-fault').map((o) => o.ok)).toEqual(Array(8).fill(true));
  expect(injected()).toContain('log-write');
  // A failed log write stored nothing: those appends are rejected, saying they were not stored.
  const writeFault = byPhase('write-fault');
  expect(writeFault.filter((o) => !o.ok).length).toBeGreaterThan(0);
  for (const o of writeFault.filter((o) => !o.ok)) expect(o).toMatchObject({ code: 'LEDGER_IO', details: { stored: false } });
  // Same process, no restart: appends work again.
  expect(byPhase('after').every((o) => o.ok)).toBe(true);
  // When the reopen fails too, the store cannot know: in doubt, then failed closed.
  for (const o of byPhase('reopen-fault')) expect(o).toMatchObject({ ok: false, code: 'LEDGER_IO', details: { inDoubt: true } });
  for (const o of byPhase('failed-closed')) expect(o).toMatchObject({ ok: false, code: 'LEDGER_IO', details: { failedClosed: true } });

  const store = await openLedger({ dir: ledgerDir });
  try {
    const head = await store.head();
    const stored = new Map<string, number>();
    for await (const page of store.scan()) for (const e of page) stored.set(e.id, e.position);
    expect([...stored.values()]).toEqual(Array.from({ length: head.position }, (_, i) => i + 1));
    for (const o of outcomes) {
      if (o.ok) expect({ id: o.id, at: stored.get(o.id) }).toEqual({ id: o.id, at: o.positions![0] });
      // "In doubt" may go either way; any other failure must really have stored nothing.
      else if (!o.details?.inDoubt)
        expect({ id: o.id, phase: o.phase, stored: stored.has(o.id) }).toEqual({ id: o.id, phase: o.phase, stored: false });
    }
    expect(await store.verify()).toMatchObject({ ok: true, checked: head.position, head: { position: head.position, hash: head.hash } });
  } finally {
    await store.close();
  }
});
