/**
 * The daemon's one start: which starts go through a fleet lease (asked with
 * --fleet, or declared in the home's config), which stay local, and the
 * typed refusals when the config cannot be read or the daemon is not in a fleet.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DaemonContext } from '../../src/daemon/context.js';
import { FLEET_SLOT_LABEL, readFleetSlots, startRun } from '../../src/daemon/start-run.js';
import type { RunSpecInput } from '../../src/supervisor/spec.js';

const homes: string[] = [];
afterEach(() => homes.splice(0).forEach((h) => rmSync(h, { recursive: true, force: true })));
function homeWith(config?: unknown): string {
  const home = mkdtempSync(join(tmpdir(), 'rl-start-run-'));
  homes.push(home);
  if (config !== undefined)
    writeFileSync(join(home, 'runledger.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return home;
}

/** A daemon context whose starts only say which way they went. */
function contextOf(home: string, inFleet: boolean): { ctx: DaemonContext; ways: string[] } {
  const ways: string[] = [];
  const ctx = {
    paths: { home },
    supervisor: { start: async (spec: RunSpecInput) => (ways.push(`local ${spec.slot ?? '-'}`), {}) },
    ...(inFleet
      ? { fleet: { host: 'h', status: () => ({}), startLeased: async (spec: RunSpecInput) => (ways.push(`leased ${spec.slot}`), {}) } }
      : {}),
  } as unknown as DaemonContext;
  return { ctx, ways };
}
const spec = (slot?: string): RunSpecInput => ({ command: 'true', ...(slot === undefined ? {} : { slot }) });
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'started',
    (e: { code?: string }) => e.code,
  );

describe("readFleetSlots: fleet.slots of the home's runledger.config.json", () => {
  it('declares nothing without a file or without a fleet entry', () => {
    expect(readFleetSlots(homeWith())).toEqual([]);
    expect(readFleetSlots(homeWith({ retention: { logs: '7d' } }))).toEqual([]);
    expect(readFleetSlots(homeWith({ fleet: { slots: ['gpu*'] } }))).toEqual(['gpu*']);
  });

  it('a file it cannot read or check is INVALID_CONFIG naming the file and the entry', () => {
    const bad = homeWith({ fleet: { slots: ['gpu0', ''] } });
    expect(() => readFleetSlots(bad)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', details: { file: join(bad, 'runledger.config.json') } }),
    );
    expect(() => readFleetSlots(bad)).toThrow(/runledger\.config\.json: fleet\.slots\[1\]: expected a slot name/);
    expect(() => readFleetSlots(homeWith('{ not json'))).toThrow(/cannot tell which slots are fleet-wide/);
  });
});

describe('startRun', () => {
  it('leases a declared slot and a --fleet one; other slots and slotless runs start locally', async () => {
    const { ctx, ways } = contextOf(homeWith({ fleet: { slots: ['gpu*'] } }), true);
    for (const [slot, asked] of [
      ['gpu0', false],
      ['cpu0', false],
      ['cpu1', true],
      [undefined, false],
    ] as const)
      await startRun(ctx, spec(slot), {}, asked);
    expect(ways).toEqual(['leased gpu0', 'local cpu0', 'leased cpu1', 'local -']);
  });

  it('is FLEET_NOT_CONFIGURED for a fleet slot outside a fleet, naming the slot and what made it fleet-wide', async () => {
    const home = homeWith({ fleet: { slots: ['gpu*'] } });
    const { ctx, ways } = contextOf(home, false);
    const declared = await startRun(ctx, spec('gpu0'), {}).catch((e: unknown) => e);
    expect(declared).toMatchObject({ code: 'FLEET_NOT_CONFIGURED', details: { slot: 'gpu0', reason: 'fleet.slots "gpu*"' } });
    expect((declared as Error).message).toContain(join(home, 'runledger.config.json'));
    expect(await codeOf(startRun(ctx, spec('cpu0'), {}, true))).toBe('FLEET_NOT_CONFIGURED');
    await startRun(ctx, spec('cpu0'), {});
    expect(ways).toEqual(['local cpu0']);
  });

  it('refuses slotted starts while the config cannot be read (never guessed); --fleet and slotless runs do not need it', async () => {
    const { ctx, ways } = contextOf(homeWith('{ not json'), true);
    expect(await codeOf(startRun(ctx, spec('gpu0'), {}))).toBe('INVALID_CONFIG');
    await startRun(ctx, spec('gpu0'), {}, true);
    await startRun(ctx, spec(), {});
    expect(ways).toEqual(['leased gpu0', 'local -']);
  });

  it('marks a --fleet run with a label, and a spec with that label (a rerun of it) is leased again', async () => {
    const { ctx, ways } = contextOf(homeWith({ fleet: { slots: ['gpu*'] } }), true);
    const labels: Record<string, string>[] = [];
    const inner = ctx.fleet!.startLeased!;
    ctx.fleet!.startLeased = (spec, slot, options) => (labels.push(spec.labels ?? {}), inner(spec, slot, options));
    await startRun(ctx, spec('cpu0'), {}, true);
    await startRun(ctx, { ...spec('cpu1'), labels: { [FLEET_SLOT_LABEL]: 'true', app: 'x' } }, {});
    await startRun(ctx, spec('gpu0'), {});
    expect(ways).toEqual(['leased cpu0', 'leased cpu1', 'leased gpu0']);
    expect(labels).toEqual([{ [FLEET_SLOT_LABEL]: 'true' }, { [FLEET_SLOT_LABEL]: 'true', app: 'x' }, {}]);
  });

  it('--fleet without a slot is a USAGE error', async () => {
    expect(await codeOf(startRun(contextOf(homeWith(), true).ctx, spec(), {}, true))).toBe('USAGE');
  });
});
