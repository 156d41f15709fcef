import { describe, expect, it } from 'vitest';
import { decideRemoteCommandHandled, hostStreamId } from '../../src/fleet/decide-remote.js';
import { assertValidEvent } from '../../src/events/validate.js';

describe('decide-remote', () => {
  it('records one RemoteCommandHandled, with a copy of the run ids, in host-<name>', () => {
    const runIds = ['01J0000000000000000000000A'];
    const cmd = { requestId: 'req-1', fromHost: 'host-a', command: 'run' as const, ok: true, runIds, errorCode: null };
    const events = decideRemoteCommandHandled(cmd);
    expect(events).toEqual([{ type: 'RemoteCommandHandled', data: cmd }]);
    runIds.push('other');
    expect(events[0]!.data).toMatchObject({ runIds: ['01J0000000000000000000000A'] });
    expect(hostStreamId('host-b')).toBe('host-host-b');
  });

  it('a refused request is recorded with its error code and passes the schema', () => {
    const [e] = decideRemoteCommandHandled({
      requestId: 'r',
      fromHost: 'a',
      command: 'stop',
      ok: false,
      runIds: [],
      errorCode: 'RUN_NOT_FOUND',
    });
    expect(() => assertValidEvent(e!.type, e!.data)).not.toThrow();
    expect(() => assertValidEvent(e!.type, { ...e!.data, command: 'reboot' })).toThrow();
  });
});
