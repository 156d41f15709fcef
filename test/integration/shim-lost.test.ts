/**
 * A lost shim is not a lost process (issue 11, case 1): when the exit-status
 * shim dies (kill -9, the OOM killer) while its child lives, the run stays
 * active, the child is watched directly, ShimLost records the evidence, stop
 * still reaches the child, and its end is recorded as "code unknown (shim lost)".
 * Real processes, real signals, real LevelDB.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/events/envelope.js';
import { Harness, isAlive, waitUntil } from './support.js';

const h = new Harness();
afterEach(() => h.cleanup());

const ofType = (events: EventEnvelope[], type: string): EventEnvelope[] => events.filter((e) => e.type === type);

describe('a shim killed while its child lives', () => {
  it('keeps the run active, records ShimLost, and stop still kills the child', async () => {
    const { supervisor: sup, store } = await h.open(h.home());
    const { run } = await sup.start({ command: 'sleep', args: ['1099'], grace: '2s' });
    h.trackRun(run);
    const a = run.attempts[0]!;
    process.kill(a.shimPid!, 'SIGKILL');

    await waitUntil(async () => ofType(await store.readStream(`run-${run.id}`), 'ShimLost').length === 1, 'ShimLost to be recorded');
    const lost = ofType(await store.readStream(`run-${run.id}`), 'ShimLost')[0]!;
    expect(lost.data).toMatchObject({ attempt: 1, shimPid: a.shimPid, childPid: a.pid });
    expect(isAlive(a.pid!)).toBe(true);
    expect(sup.get(run.id).status).toBe('running');

    const stopped = await sup.stop(run.id, { wait: true });
    expect(isAlive(a.pid!)).toBe(false);
    expect(stopped.status).toBe('stopped');
    expect(stopped.reason).toContain('code unknown (shim lost)');
    const events = await store.readStream(`run-${run.id}`);
    expect(ofType(events, 'SignalSent').map((e) => (e.data as { signal: string }).signal)[0]).toBe('SIGTERM');
    expect(ofType(events, 'ProcessExited')[0]?.data).toMatchObject({ attempt: 1, exitCode: null, signal: null, codeUnknown: 'shim lost' });
  });

  it('records the later exit of the orphaned child as code unknown (shim lost)', async () => {
    const home = h.home();
    const { supervisor: sup, store } = await h.open(home);
    const trigger = join(home, 'go');
    const { run } = await sup.start({ command: 'sh', args: ['-c', `while [ ! -e '${trigger}' ]; do sleep 0.05; done; exit 3`] });
    h.trackRun(run);
    const a = run.attempts[0]!;
    process.kill(a.shimPid!, 'SIGKILL');
    await waitUntil(async () => ofType(await store.readStream(`run-${run.id}`), 'ShimLost').length === 1, 'ShimLost to be recorded');
    expect(sup.get(run.id).status).toBe('running');

    writeFileSync(trigger, '');
    const ended = await sup.wait(run.id);
    expect(isAlive(a.pid!)).toBe(false);
    expect(ended.status).toBe('unknown');
    expect(ended.reason).toBe('attempt 1: code unknown (shim lost)');
    const exited = ofType(await store.readStream(`run-${run.id}`), 'ProcessExited');
    expect(exited.map((e) => e.data)).toEqual([{ attempt: 1, exitCode: null, signal: null, codeUnknown: 'shim lost' }]);
    expect(ofType(await store.readStream(`run-${run.id}`), 'ProcessStatusUnknown')).toEqual([]);
  });
});
