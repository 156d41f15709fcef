/** `events --type`: a typo is a usage error listing the real types, not an empty answer. */
import { EVENT_TYPES } from '../events/constants.js';
import { usageError } from './failure.js';

export function checkEventTypes(types: readonly string[]): void {
  const unknown = types.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0)
    throw usageError(`--type: unknown event type ${unknown.map((t) => JSON.stringify(t)).join(', ')} (types: ${EVENT_TYPES.join(', ')})`, {
      flag: '--type',
    });
}
