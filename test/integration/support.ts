/** Real homes, real processes: helpers that clean up by pid what a test started. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openEmbedded, type EmbeddedSupervisor } from '../../src/supervisor/embedded.js';
import type { EventEnvelope } from '../../src/events/envelope.js';
import type { RunState } from '../../src/projections/run-state.js';
export { isAlive } from '../support/processes.js';
import { removeCgroupsOf } from '../support/cgroups.js';
import { isAlive } from '../support/processes.js';

export const FIXTURES = resolve(import.meta.dirname, '../../fixtures');
export const fixture = (name: string): string => join(FIXTURES, name);

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'rl-it-'));
}

/** Kill a process group and its leader by number, ignoring "already gone". */
export function killGroup(pgid: number | null | undefined): void {
  if (!pgid) return;
  for (const target of [-pgid, pgid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** Every pgid and shim pid a set of runs ever had: what afterEach must make sure is gone. */
export function groupsOf(runs: Iterable<RunState>): number[] {
  return [...runs].flatMap((r) => r.attempts.flatMap((a) => [a.pgid, a.shimPid]).filter((p): p is number => p !== null));
}

export async function waitUntil(cond: () => boolean | Promise<boolean>, what: string, tries = 400, everyMs = 25): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function typesOf(events: EventEnvelope[], runId?: string): string[] {
  return events.filter((e) => !runId || e.streamId === `run-${runId}`).map((e) => e.type);
}

/** Tracks embedded supervisors and homes of a test file and tears them down. */
export class Harness {
  private opened: EmbeddedSupervisor[] = [];
  private homes: string[] = [];
  private pgids = new Set<number>();

  home(): string {
    const h = tempHome();
    this.homes.push(h);
    return h;
  }

  async open(home: string): Promise<EmbeddedSupervisor> {
    const e = await openEmbedded({ home, gitInfo: false });
    this.opened.push(e);
    return e;
  }

  /** Make sure these process groups (and the runs' shims) are gone after the test. */
  track(...pgids: (number | null | undefined)[]): void {
    for (const p of pgids) if (p) this.pgids.add(p);
  }

  trackRun(run: RunState): void {
    this.track(...groupsOf([run]));
  }

  async cleanup(): Promise<void> {
    for (const e of this.opened) {
      for (const g of groupsOf(e.supervisor.state.runs.values())) this.pgids.add(g);
      await e.close({ stopRuns: true }).catch(() => undefined);
    }
    for (const g of this.pgids) killGroup(g);
    // Only remove homes once nothing we started can still write into them.
    await waitUntil(() => [...this.pgids].every((p) => !isAlive(p)), 'test processes to die');
    for (const h of this.homes) removeCgroupsOf(h);
    for (const h of this.homes) rmSync(h, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    this.opened = [];
    this.homes = [];
    this.pgids.clear();
  }
}
