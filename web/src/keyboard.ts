/**
 * The page's keys, in one place so what each key does reads at a glance:
 * `/` focuses the name filter, j/k or ↑/↓ move focus between lanes (Enter
 * on a lane is the lane's own, in timeline.ts), Esc leaves a field or
 * closes the details, `l` goes back to live. Keys typed into a field are
 * the field's, and modified keys are the browser's. Split from main.ts.
 */
import { byId } from './dom.js';

export interface KeyActions {
  /** Is a run's details panel open (Esc then closes it)? */
  hasSelection(): boolean;
  closeDetails(): void;
  goLive(): void;
}

export function wireKeyboard(actions: KeyActions): void {
  document.addEventListener('keydown', (e) => onKey(e, actions));
}

function onKey(e: KeyboardEvent, actions: KeyActions): void {
  const typing = (e.target as HTMLElement).closest('input, select, textarea');
  if (e.key === 'Escape') {
    if (typing) (typing as HTMLElement).blur();
    else if (actions.hasSelection()) actions.closeDetails();
    return;
  }
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === '/') {
    e.preventDefault();
    byId('filter-name').focus();
  } else if (e.key === 'l') actions.goLive();
  else if (['j', 'k', 'ArrowDown', 'ArrowUp'].includes(e.key) && (e.target as HTMLElement).closest('.lane, body')) {
    const lanes = [...document.querySelectorAll<HTMLElement>('.lane')];
    if (lanes.length === 0) return;
    e.preventDefault();
    const at = lanes.indexOf(document.activeElement as HTMLElement);
    const next = e.key === 'j' || e.key === 'ArrowDown' ? Math.min(lanes.length - 1, at + 1) : Math.max(0, at - 1);
    lanes[at < 0 ? 0 : next]!.focus();
  }
}
