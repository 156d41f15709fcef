import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { fleetConfigFromEnv } from '../../src/fleet/fleet-config.js';

describe('fleetConfigFromEnv', () => {
  it('is undefined without a URL', () => expect(fleetConfigFromEnv({})).toBeUndefined());
  it('defaults the host name to the machine hostname', () =>
    expect(fleetConfigFromEnv({ RUNLEDGER_FLEET_URL: 'postgres://h/db' })).toEqual({ url: 'postgres://h/db', host: hostname() }));
  it('takes RUNLEDGER_HOST_NAME', () =>
    expect(fleetConfigFromEnv({ RUNLEDGER_FLEET_URL: 'postgresql://h/db', RUNLEDGER_HOST_NAME: 'b-1' })?.host).toBe('b-1'));
  it('refuses a bad host name and a non-postgres URL without echoing a password', () => {
    expect(() => fleetConfigFromEnv({ RUNLEDGER_FLEET_URL: 'postgres://h/db', RUNLEDGER_HOST_NAME: 'a b' })).toThrow(/host name/);
    let message = '';
    try {
      fleetConfigFromEnv({ RUNLEDGER_FLEET_URL: 'mysql://u:hunter22@h/db' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/postgres:\/\//);
    expect(message).not.toContain('hunter22');
  });
});
