#!/usr/bin/env node
// Runs every bench/*.mjs except this one, in sequence, each in its own process
// so one benchmark's heap and open files cannot skew the next.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== self)
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(dir, file)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed += 1;
    console.error(`${file} failed (${r.signal ?? r.status})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
