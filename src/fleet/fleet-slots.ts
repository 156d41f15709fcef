/**
 * Which slots are leased fleet-wide: those a start asks for (`--fleet`) and
 * those the host's config declares (`fleet.slots`: slot names, or patterns
 * where `*` stands for any run of characters, so `gpu*` covers gpu0 and
 * gpu-big and `*` every slot). Pure: the daemon reads the file and asks here.
 */

/** `fleet.slots` as written in a config, checked; an Error names the first wrong entry by its path. */
export function checkFleetSlots(fleet: unknown): string[] {
  if (fleet === undefined) return [];
  if (typeof fleet !== 'object' || fleet === null || Array.isArray(fleet))
    throw new Error('fleet: expected an object such as { "slots": ["gpu0", "phone-*"] }');
  const unknown = Object.keys(fleet).filter((k) => k !== 'slots');
  if (unknown.length > 0) throw new Error(`fleet.${unknown[0]}: unknown setting (fleet takes "slots")`);
  const slots = (fleet as { slots?: unknown }).slots;
  if (slots === undefined) return [];
  if (!Array.isArray(slots)) throw new Error('fleet.slots: expected a list of slot names or patterns ("gpu0", "phone-*")');
  slots.forEach((s, i) => {
    if (typeof s !== 'string' || s.trim() === '')
      throw new Error(`fleet.slots[${i}]: expected a slot name or pattern (a non-empty string)`);
  });
  return slots as string[];
}

/** The first declared name or pattern that covers `slot`, if any. */
export function declaredFleetSlot(patterns: readonly string[], slot: string): string | undefined {
  return patterns.find((p) => p === slot || (p.includes('*') && patternRegex(p).test(slot)));
}

/**
 * Why a start with this slot must hold a fleet lease: `--fleet`, or the
 * config's entry that declares it; undefined for a slot that is this host's alone.
 */
export function fleetLeaseReason(slot: string | undefined, askedFleet: boolean, patterns: readonly string[]): string | undefined {
  if (!slot) return undefined; // an empty slot is no slot, as for the local slot rule
  if (askedFleet) return '--fleet';
  const declared = declaredFleetSlot(patterns, slot);
  return declared === undefined ? undefined : `fleet.slots ${JSON.stringify(declared)}`;
}

function patternRegex(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}
