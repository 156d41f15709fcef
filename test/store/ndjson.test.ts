/** NDJSON export/import, and the committed v1 fixture that every later version must still read. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../../src/store/memory-store.js';
import { exportNdjson, readNdjsonLog } from '../../src/store/ndjson.js';
import type { EventStore } from '../../src/store/event-store.js';
import { rejectionOf, started, startedMany } from './helpers.js';

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const line of lines) text += line;
  return text;
}

async function seededStore(): Promise<EventStore> {
  const store = createMemoryLedger();
  await store.append('a', startedMany(3));
  await store.append('b', startedMany(2, 3));
  await store.append('a', [started(9)]);
  return store;
}

describe('NDJSON export', () => {
  it('round-trips a full export: same events, clean chain', async () => {
    const store = await seededStore();
    const text = await collect(exportNdjson(store));
    expect(text.split('\n').filter(Boolean)).toHaveLength(6);
    const { events, verify } = await readNdjsonLog(text);
    expect(events).toEqual(await store.readAll());
    expect(verify).toEqual({ ok: true, checked: 6, head: await store.head() });
  });

  it('exports one stream when asked', async () => {
    const store = await seededStore();
    const text = await collect(exportNdjson(store, { streamId: 'b' }));
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).position),
    ).toEqual([4, 5]);
  });

  const tamperings: [string, (lines: string[]) => string[], number][] = [
    ['an edited line', (l) => l.map((x, i) => (i === 2 ? x.replace('"pid":1003', '"pid":1004') : x)), 3],
    ['a removed line', (l) => l.filter((_, i) => i !== 3), 4],
    ['two swapped lines', (l) => [l[0]!, l[2]!, l[1]!, ...l.slice(3)], 2],
  ];
  for (const [label, edit, position] of tamperings) {
    it(`detects ${label}`, async () => {
      const lines = (await collect(exportNdjson(await seededStore()))).split('\n').filter(Boolean);
      const { verify } = await readNdjsonLog(edit(lines).join('\n'));
      expect(verify).toMatchObject({ ok: false, firstBad: { position } });
    });
  }

  it('a line that does not decode is an error naming the line', async () => {
    const lines = (await collect(exportNdjson(await seededStore()))).split('\n').filter(Boolean);
    lines[1] = lines[1]!.replace('"SupervisorStarted"', '"Bogus"');
    const err = await rejectionOf(readNdjsonLog(lines.join('\n')));
    expect(err).toMatchObject({ code: 'CORRUPT_LEDGER' });
    expect(err.message).toContain('line 2');
  });
});

describe('fixtures/ledger-v1.ndjson (ProcessExited stored at schemaVersion 1)', () => {
  const fixture = new URL('../../fixtures/ledger-v1.ndjson', import.meta.url);

  it('still decodes, upcasts code -> exitCode, and verifies', async () => {
    const text = await readFile(fixture, 'utf8');
    const stored = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const exitedStored = stored.filter((e) => e.type === 'ProcessExited');
    expect(exitedStored.map((e) => [e.schemaVersion, 'code' in e.data, 'exitCode' in e.data])).toEqual([
      [1, true, false],
      [1, true, false],
    ]);
    const { events, verify } = await readNdjsonLog(text);
    expect(verify).toEqual({ ok: true, checked: stored.length, head: { position: stored.length, hash: stored[stored.length - 1].hash } });
    const exited = events.filter((e) => e.type === 'ProcessExited');
    expect(exited.map((e) => e.data)).toEqual([
      { attempt: 1, exitCode: 0, signal: null },
      { attempt: 1, exitCode: null, signal: 'SIGTERM' },
    ]);
    // Upcasting changes what readers see, never the stored form the hashes cover.
    expect(exited.map((e) => e.hash)).toEqual(exitedStored.map((e) => e.hash));
    expect(events.map((e) => e.type)).toContain('ReconcileCompleted');
  });
});
