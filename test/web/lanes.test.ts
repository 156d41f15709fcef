/** The page's pure parts (web/src): lanes from runs and events, filters and groups. */
import { describe, expect, it } from 'vitest';
import type { RunView } from '../../src/projections/run-view.js';
import type { UiLedgerEvent } from '../../src/daemon/ui/ledger-sse.js';
import { laneOf, rangeOf } from '../../web/src/lanes.js';
import { groupRuns, matches, NO_FILTERS } from '../../web/src/filters.js';

const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const ms = (s: number) => Date.parse(T(s));
const attempt = (n: number, start: number, end: number | null, exitCode: number | null = null) =>
  ({ n, startedAt: T(start), endedAt: end === null ? null : T(end), exitCode, signal: null }) as RunView['attempts'][number];
const view = (over: Partial<RunView>): RunView =>
  ({
    id: 'r1',
    shortId: 'abc1234',
    name: 'web',
    command: 'node',
    status: 'running',
    createdAt: T(0),
    labels: {},
    owner: {},
    ready: false,
    attempts: [],
    ...over,
  }) as RunView;
const ev = (position: number, type: string, time: number, data: Record<string, unknown> = {}): UiLedgerEvent => ({
  position,
  type,
  time: T(time),
  streamId: 'run-r1',
  runId: 'r1',
  data,
  text: type,
});

describe('laneOf', () => {
  it('splits a live attempt into starting, ready and stopping, and marks the ready line', () => {
    const lane = laneOf(
      view({ attempts: [attempt(1, 1, null)], status: 'stopping' }),
      [ev(2, 'ProcessReady', 3, { attempt: 1 }), ev(3, 'StopRequested', 8)],
      ms(10),
    );
    expect(lane.spans.map((s) => [s.kind, s.start, s.end])).toEqual([
      ['starting', ms(1), ms(3)],
      ['ready', ms(3), ms(8)],
      ['stopping', ms(8), ms(10)],
    ]);
    expect(lane.markers.map((m) => m.kind)).toEqual(['ready', 'stop']);
  });

  it('colours ended attempts by how they ended, links each to its restart, and draws reconcile events apart', () => {
    const run = view({ status: 'failed', attempts: [attempt(1, 1, 2, 3), attempt(2, 4, 5, 3)] });
    const lane = laneOf(
      run,
      [
        ev(4, 'ProcessExited', 2, { attempt: 1, exitCode: 3, signal: null }),
        ev(5, 'RestartScheduled', 2),
        ev(9, 'ExitRecovered', 5, { attempt: 2, exitCode: 3, signal: null }),
      ],
      ms(9),
    );
    expect(lane.spans.map((s) => s.kind)).toEqual(['status-failed', 'status-failed']);
    expect(lane.links).toEqual([{ from: ms(2), to: ms(4), title: 'restart: attempt 1 → 2' }]);
    expect(lane.markers.map((m) => [m.kind, m.label])).toEqual([
      ['exit', '3'],
      ['restart', '↻'],
      ['reconcile', '⟲3'],
    ]);
  });

  it('a pending run is a pending span up to now; the range covers every lane', () => {
    const lane = laneOf(view({ status: 'pending' }), [], ms(4));
    expect(lane.spans).toEqual([{ start: ms(0), end: ms(4), kind: 'pending', title: 'pending' }]);
    const r = rangeOf([lane], ms(4));
    expect(r.from).toBeLessThan(ms(0));
    expect(r.to).toBeGreaterThan(ms(4));
  });
});

describe('filters and groups', () => {
  const a = view({ id: 'a', name: 'api', labels: { 'runledger.stack': 'shop', tier: 'web' }, owner: { session: 's1' } });
  const b = view({ id: 'b', name: 'job', status: 'failed', createdAt: T(5) });
  it('filters by status, name, label and owner', () => {
    expect(matches(a, { ...NO_FILTERS, name: 'AP' })).toBe(true);
    expect(matches(b, { ...NO_FILTERS, status: 'running' })).toBe(false);
    expect(matches(a, { ...NO_FILTERS, label: 'tier=web' })).toBe(true);
    expect(matches(a, { ...NO_FILTERS, label: 'tier=db' })).toBe(false);
    expect(matches(a, { ...NO_FILTERS, label: 'tier' })).toBe(true);
    expect(matches(b, { ...NO_FILTERS, owner: 'session=s1' })).toBe(false);
  });

  it('groups by stack, owner session or a label, catch-all groups last', () => {
    expect(groupRuns([b, a], 'stack').map(([g, rs]) => [g, rs.map((r) => r.id)])).toEqual([
      ['stack shop', ['a']],
      ['no stack', ['b']],
    ]);
    expect(groupRuns([a, b], 'session').map(([g]) => g)).toEqual(['session s1', 'no session']);
    expect(groupRuns([a, b], 'label:tier').map(([g]) => g)).toEqual(['tier=web', 'no tier']);
  });
});
