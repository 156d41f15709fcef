/** Human form of `runledger verify` (ledger or --file): ok with the head to keep, or BROKEN [CODE] at a position. */
import type { Style } from './style.js';

export interface VerifyLike {
  ok: boolean;
  checked: number;
  head: { position: number; hash: string };
  code?: string;
  firstBad?: { position: number; reason: string };
  anchors?: { file: string; checked: number };
  trailer?: { key: string; time: string; homeKey: boolean };
  warnings?: string[];
}

export function renderVerify(r: VerifyLike, style: Style): string {
  const lines: string[] = [];
  const head = `head at ${r.head.position}`;
  if (r.ok) {
    lines.push(
      `${style.green('ok')}: ${r.checked} events checked, ${head}${r.head.hash ? ` (anchor ${r.head.position}:${r.head.hash})` : ''}`,
    );
    if (r.anchors) lines.push(`checkpoints: ${r.anchors.checked} checked (${r.anchors.file})`);
    if (r.trailer)
      lines.push(
        `trailer: signed ${r.trailer.time} by key ${r.trailer.key}${r.trailer.homeKey ? " (this home's key)" : " (not this home's key)"}`,
      );
  } else {
    const bad = r.firstBad ? ` at position ${r.firstBad.position}: ${r.firstBad.reason}` : '';
    lines.push(`${style.red('BROKEN')} [${r.code ?? 'CORRUPT_LEDGER'}]${bad} (${r.checked} events checked, ${head})`);
  }
  for (const w of r.warnings ?? []) lines.push(`${style.yellow('warning')}: ${w}`);
  return lines.join('\n');
}
