/**
 * The child's line protocol: `RUNLEDGER-READY` marks the attempt ready and
 * `RUNLEDGER-CHECKPOINT <json>` records a checkpoint (a phase, a session id…)
 * that `show` and the timeline display. Anything else is just output.
 */
export type ProtocolMessage = { kind: 'ready' } | { kind: 'checkpoint'; checkpoint: unknown };

const READY = /^RUNLEDGER-READY\b/;
const CHECKPOINT = /^RUNLEDGER-CHECKPOINT(?:\s+(.*))?$/;
const MAX_CHECKPOINT_CHARS = 16 * 1024;

export function parseProtocolLine(line: string): ProtocolMessage | undefined {
  const text = line.trimEnd();
  if (READY.test(text)) return { kind: 'ready' };
  const m = CHECKPOINT.exec(text);
  if (!m) return undefined;
  const body = (m[1] ?? '').slice(0, MAX_CHECKPOINT_CHARS);
  if (body === '') return { kind: 'checkpoint', checkpoint: null };
  try {
    return { kind: 'checkpoint', checkpoint: JSON.parse(body) as unknown };
  } catch {
    // Not JSON: keep what the child said rather than dropping it.
    return { kind: 'checkpoint', checkpoint: { text: body } };
  }
}
