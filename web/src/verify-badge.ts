/**
 * The header's verify badge: asks the daemon to verify the whole ledger and
 * shows the verdict — the head position and hash when the chain holds, the
 * failure code (details in the tooltip) when it does not. Its own file
 * because it touches nothing else on the page: no run state, no render.
 * Split from main.ts.
 */
import { api } from './api.js';
import { byId } from './dom.js';

export async function refreshVerify(): Promise<void> {
  const badge = byId('verify');
  badge.textContent = 'verifying…';
  badge.className = 'verify';
  try {
    const v = await api.verify();
    badge.textContent = v.ok ? `verified ✓ #${v.head.position} ${v.head.hash.slice(0, 12)}` : `verify FAILED: ${v.code ?? 'damaged'}`;
    badge.className = `verify ${v.ok ? 'ok' : 'bad'}`;
    badge.title = v.ok ? `head hash ${v.head.hash}` : JSON.stringify(v, null, 2);
  } catch (err) {
    badge.textContent = `verify: ${(err as Error).message}`;
    badge.className = 'verify bad';
  }
}
