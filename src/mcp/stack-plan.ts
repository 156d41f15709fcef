/**
 * The `up`/`down` tools' stack plan: the file found and read as the CLI does
 * (src/stacks/file), with the safety flags applied at the door — the file's
 * directory and every process's cwd under `--allow-cwd`, no shell process
 * under `--no-shell` for `up` (a Procfile's lines are shell lines; `down`
 * runs nothing, so it may stop them) — and, for `up`, this session as each
 * process's owner and the client's labels. Neither the
 * owner nor `runledger.*` labels enter the spec hash (src/stacks/spec-hash.ts),
 * so an MCP `up` after a CLI `up` of the same file restarts nothing.
 */
import { dirname } from 'node:path';
import { findStackFile } from '../stacks/file/find.js';
import { loadStackFile } from '../stacks/file/parse.js';
import { toPlan } from '../stacks/file/to-plan.js';
import type { StackPlan } from '../stacks/plan.js';
import { checkCwd, checkShell } from './guard.js';
import type { RunGuard } from './run-spec.js';

/** `file` is relative to the server's default cwd; without it, the stack file is searched from there upwards. */
export function stackPlanOf(file: string | undefined, g: RunGuard, tool: 'up' | 'down'): StackPlan {
  const found = findStackFile(file, g.defaultCwd);
  // Before reading it: a file outside the allowed directories is not even parsed.
  checkCwd(dirname(found), g.defaultCwd, g.allowCwd);
  const plan = toPlan(loadStackFile(found, g.defaultCwd));
  for (const p of plan.processes) {
    if (g.noShell && tool === 'up') checkShell(p.spec);
    // to-plan made each cwd absolute against the file; the check resolves symlinks, the spec keeps the path as written.
    checkCwd(p.spec.cwd ?? dirname(found), dirname(found), g.allowCwd);
  }
  if (tool === 'down') return plan;
  const processes = plan.processes.map((p) => ({
    ...p,
    // As for `run`, the client's labels are written last, so a file cannot pass for another client (the daemon adds the stack's own).
    spec: { ...p.spec, labels: { ...p.spec.labels, ...g.labels }, owner: { session: g.session } },
  }));
  return { ...plan, processes };
}
