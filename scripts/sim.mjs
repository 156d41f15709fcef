#!/usr/bin/env node
// Longer simulation soaks: `npm run sim -- --runs 20000 [--seed N] [--path P]`.
// Sets SIM_RUNS / SIM_SEED / SIM_PATH for test/sim and runs it with vitest.
// Without --seed a soak explores random seeds (npm test always uses one fixed seed).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const env = { ...process.env };
const rest = [];
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split(/=(.*)/s, 2);
  const value = () => inline ?? args[++i];
  if (flag === '--runs') env.SIM_RUNS = value();
  else if (flag === '--seed') env.SIM_SEED = value();
  else if (flag === '--path') env.SIM_PATH = value();
  else rest.push(args[i]);
}
env.SIM_SEED ??= 'random';
if (env.SIM_RUNS !== undefined && !/^\d+$/.test(env.SIM_RUNS)) {
  console.error(`--runs needs a whole number, got ${env.SIM_RUNS}`);
  process.exit(2);
}
const r = spawnSync('npx', ['vitest', 'run', 'test/sim', ...rest], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
