/**
 * Fleet settings, normalized once at the door: the database URL
 * (RUNLEDGER_FLEET_URL / --fleet-url) and this host's name in the fleet
 * (RUNLEDGER_HOST_NAME / --host-name, default the machine's hostname, so
 * several daemons can share one machine in tests).
 */
import { hostname } from 'node:os';
import { RunledgerError } from '../errors.js';
import { redactUrl } from './redact-url.js';

export const FLEET_URL_ENV = 'RUNLEDGER_FLEET_URL';
export const HOST_NAME_ENV = 'RUNLEDGER_HOST_NAME';

export interface FleetConfig {
  url: string;
  host: string;
}

const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function checkHostName(name: string): string {
  if (!HOST_NAME.test(name)) {
    throw new RunledgerError('INVALID_CONFIG', `host name must be 1-63 letters, digits, '.', '_' or '-', got ${JSON.stringify(name)}`, {
      hostName: name,
    });
  }
  return name;
}

export function checkFleetUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new RunledgerError('INVALID_CONFIG', `the fleet URL must start with postgres:// or postgresql://, got ${redactUrl(url)}`);
  }
  return url;
}

/** The fleet settings from an environment, or undefined when this host is not in a fleet. */
export function fleetConfigFromEnv(env: NodeJS.ProcessEnv): FleetConfig | undefined {
  const url = env[FLEET_URL_ENV];
  if (!url) return undefined;
  return { url: checkFleetUrl(url), host: checkHostName(env[HOST_NAME_ENV] || hostname()) };
}
