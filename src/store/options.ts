/** Ledger options are defaulted and checked once, here; nothing deeper re-checks them. */
import { systemClock, type Clock } from '../clock.js';
import { ulidGenerator, type IdGenerator } from '../ids.js';
import type { Upcaster } from '../events/upcast.js';

export interface LedgerOptions {
  clock?: Clock;
  ids?: IdGenerator;
  /** Extra upcasters keyed `Type@fromVersion`, tried before the built-in ones. */
  upcasters?: Readonly<Record<string, Upcaster>>;
}

export interface LedgerDeps {
  clock: Clock;
  ids: IdGenerator;
  upcasters: Readonly<Record<string, Upcaster>>;
}

export function normalizeLedgerOptions(options: LedgerOptions = {}): LedgerDeps {
  if (options === null || typeof options !== 'object') throw new TypeError('ledger options must be an object');
  const clock = options.clock ?? systemClock;
  if (typeof clock.now !== 'function') throw new TypeError('clock.now must be a function');
  const ids = options.ids ?? ulidGenerator(() => clock.now());
  if (typeof ids.next !== 'function') throw new TypeError('ids.next must be a function');
  const upcasters = options.upcasters ?? {};
  if (upcasters === null || typeof upcasters !== 'object') throw new TypeError('upcasters must be an object');
  return { clock, ids, upcasters };
}
