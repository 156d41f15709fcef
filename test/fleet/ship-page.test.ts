import { describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../../src/store/memory-store.js';
import { groupLines } from '../../src/fleet/ship-page.js';
import { started } from '../store/helpers.js';

async function storedLines(appends: [string, number][]) {
  const store = createMemoryLedger();
  for (const [stream, n] of appends) await store.append(stream, [started(n)]);
  const lines: { position: number; json: string }[] = [];
  for await (const page of store.scanStored()) page.forEach((json) => lines.push({ position: lines.length + 1, json }));
  await store.close();
  return lines;
}

describe('groupLines', () => {
  it('groups consecutive events of one stream, keeping local order, ids and the stored lines as origin', async () => {
    const lines = await storedLines([
      ['a', 1],
      ['a', 2],
      ['b', 3],
      ['a', 4],
    ]);
    const groups = groupLines(lines);
    expect(groups.map((g) => [g.streamId, g.records.map((r) => r.position)])).toEqual([
      ['a', [1, 2]],
      ['b', [3]],
      ['a', [4]],
    ]);
    expect(groups[0]!.events[0]).toMatchObject({ type: 'SupervisorStarted', id: JSON.parse(lines[0]!.json).id });
    expect(groups[0]!.records[0]!.json).toBe(lines[0]!.json);
  });
  it('stops at a record that does not decode instead of leaving a hole', () => {
    expect(() => groupLines([{ position: 1, json: '{"nope":true}' }])).toThrow(/does not decode/);
  });
});
