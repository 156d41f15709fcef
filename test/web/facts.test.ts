/**
 * The details panel's text (web/src/facts.ts) against the CLI's `show`
 * (src/cli/render/show.ts) for the same run: durations, sizes and commands
 * must read the same on the page as in the terminal.
 */
import { describe, expect, it } from 'vitest';
import { picocolors as pc } from '../../src/cli/cjs.js';
import { renderShow } from '../../src/cli/render/show.js';
import type { ShowResponse } from '../../src/daemon/api.js';
import type { AttemptView, RunView } from '../../src/projections/run-view.js';
import { ATTEMPT_COLUMNS, attemptCells, runFacts } from '../../web/src/facts.js';

const START = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const TiB = 1024 ** 4;

/** An exited run that ran for `durationMs`; its one attempt peaked at `peakRssBytes`. */
function ended(
  durationMs: number,
  peakRssBytes: number,
  args: string[] = [],
  exit = { exitCode: 0 as number | null, signal: null as string | null },
): ShowResponse {
  const startedAt = new Date(START).toISOString();
  const endedAt = new Date(START + durationMs).toISOString();
  const attempt = {
    n: 1,
    pid: 4242,
    ...exit,
    startedAt,
    endedAt,
    status: 'exited',
    tracking: 'process-group',
    tree: null,
    usage: { cpuSeconds: 1.5, peakRssBytes },
  } as unknown as AttemptView;
  const run = {
    id: 'r1',
    shortId: 'abc1234',
    name: 'job',
    status: 'completed',
    reason: null,
    ...exit,
    command: 'node',
    args,
    cwd: '/tmp',
    runtime: 'background',
    labels: {},
    owner: {},
    slot: null,
    key: null,
    createdAt: startedAt,
    startedAt,
    endedAt,
    attempts: [attempt],
    batchId: null,
    ready: false,
    restarts: 0,
    git: null,
    rerunOf: null,
    durationMs,
    logsPruned: null,
  } as unknown as RunView;
  return { source: 'ledger', run, timeline: [], logs: null } as unknown as ShowResponse;
}

/** What the CLI's `show` prints, without colour. */
const cli = (res: ShowResponse) => renderShow(res, pc.createColors(false), START);
const cliFact = (res: ShowResponse, label: string) => new RegExp(`^${label} +(.*)$`, 'm').exec(cli(res))?.[1];
/** The PEAK RSS cell of the CLI's attempt row (its last column). */
const cliPeakRss = (res: ShowResponse) => /^1 +exited .*$/m.exec(cli(res))?.[0].trim().split(/ +/).at(-1);
const pageFact = (res: ShowResponse, label: string) => runFacts(res).find(([k]) => k === label)?.[1];
const pagePeakRss = (res: ShowResponse) => attemptCells(res, res.run.attempts[0]!)[ATTEMPT_COLUMNS.indexOf('peak rss')];

describe('the page formats what the CLI prints, the same way', () => {
  it('durations, past a day included (72 h is 3d in both)', () => {
    const durations = [950, 12_000, 200_000, 7_500_000, 47 * HOUR + 59 * 60_000, 48 * HOUR, 72 * HOUR, 90 * HOUR];
    for (const ms of durations) expect(pageFact(ended(ms, 0), 'duration'), `${ms} ms`).toBe(cliFact(ended(ms, 0), 'time'));
    expect(pageFact(ended(72 * HOUR, 0), 'duration')).toBe('3d');
  });

  it('sizes, up to TiB', () => {
    const sizes = [512, 4096, 1.5 * 1024 ** 3, TiB, 1.5 * TiB, 3000 * TiB];
    for (const bytes of sizes) expect(pagePeakRss(ended(1000, bytes)), `${bytes} B`).toBe(cliPeakRss(ended(1000, bytes)));
    expect(pagePeakRss(ended(1000, 1.5 * TiB))).toBe('1.5TiB');
  });

  it('command lines, quoting as a person would type them', () => {
    const res = ended(1000, 0, ['a b', '', "it's", 'plain']);
    expect(pageFact(res, 'command')).toBe(cliFact(res, 'command'));
    expect(pageFact(res, 'command')).toBe(`node "a b" "" "it's" plain`);
  });

  it('exits: the signal, else the code, else a dash', () => {
    for (const exit of [
      { exitCode: 3, signal: null },
      { exitCode: null, signal: 'SIGKILL' },
      { exitCode: null, signal: null },
    ]) {
      const res = ended(1000, 0, [], exit);
      expect(pageFact(res, 'exit')).toBe(cliFact(res, 'exit'));
      expect(attemptCells(res, res.run.attempts[0]!)[ATTEMPT_COLUMNS.indexOf('exit')]).toBe(cliFact(res, 'exit'));
    }
  });
  it("a run that has not ended has no exit yet, though an earlier attempt's row keeps its own (#12)", () => {
    const res = ended(1000, 0, [], { exitCode: 1, signal: null });
    const running = { ...res, run: { ...res.run, status: 'running', endedAt: null } } as ShowResponse;
    expect(pageFact(running, 'exit')).toBe(cliFact(running, 'exit'));
    expect(pageFact(running, 'exit')).toBe('-');
    expect(attemptCells(running, running.run.attempts[0]!)[ATTEMPT_COLUMNS.indexOf('exit')]).toBe('1');
    expect(cli(running)).toMatch(/^1 +exited .* 1 +process-group /m);
  });
});

describe('the attempt cells', () => {
  it("show the live attempt's latest sample, and dashes where nothing was measured", () => {
    const res = ended(1000, 0);
    const { usage: _recorded, ...unmeasured } = res.run.attempts[0]!;
    const live = { ...res, run: { ...res.run, attempts: [{ ...unmeasured, pid: null }] } };
    expect(attemptCells(live, live.run.attempts[0]!)).toEqual(['1', 'exited', '-', '0', '-', '-', 'process-group']);
    const sampled = { ...live, usage: { attempt: 1, cpuSeconds: 2, peakRssBytes: 2048, rssBytes: 1024, cpuPercent: null, processes: 1 } };
    expect(attemptCells(sampled as ShowResponse, live.run.attempts[0]!)).toEqual([
      '1',
      'exited',
      '-',
      '0',
      '2.00s',
      '2.0KiB',
      'process-group',
    ]);
    expect(runFacts(sampled as ShowResponse).at(-1)).toEqual(['usage now', '1.0KiB rss, 1 process']);
  });
});
