/**
 * The page: runs from the daemon's list, kept current by the ledger's
 * event stream (SSE, no polling: an event for a run refetches that run), a
 * scrubber that shows the fold at any past position (the daemon's
 * `replay`, the same fold as `runledger replay --at`), filters, and the
 * selected run's details. The keys are in keyboard.ts, the verify badge in
 * verify-badge.ts.
 */
import { api, followLedger, type RunView, type UiLedgerEvent } from './api.js';
import { RunDetails } from './details.js';
import { byId, fill, h } from './dom.js';
import { labelKeys, matches, NO_FILTERS, type Filters } from './filters.js';
import { wireKeyboard } from './keyboard.js';
import { renderTimeline } from './timeline.js';
import { refreshVerify } from './verify-badge.js';

/** How much history the timeline's markers start with; older runs still show their spans. */
const HISTORY_EVENTS = 5000;
const MAX_LANES = 200;

const state = {
  runs: new Map<string, RunView>(),
  events: new Map<string, UiLedgerEvent[]>(),
  /** Position -> time of every event seen, for the scrubber's cursor. */
  times: new Map<number, number>(),
  head: 0,
  /** The list reflects the ledger up to here: older events need no refetch. */
  listedAt: 0,
  filters: { ...NO_FILTERS } as Filters,
  selected: null as string | null,
  scrub: null as null | { position: number; runs: Map<string, RunView>; time: number },
  live: false,
};

const details = new RunDetails({ notify, close: () => select(null) });
const refreshTimers = new Map<string, number>();
let frame = 0;

function render(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    draw();
  });
}

function draw(): void {
  const scrub = state.scrub;
  const source = scrub ? scrub.runs : state.runs;
  const all = [...source.values()].filter((r) => matches(r, state.filters));
  const shown = all.slice(0, MAX_LANES);
  const now = scrub ? scrub.time : Date.now();
  const eventsOf = (id: string) => {
    const evs = state.events.get(id) ?? [];
    return scrub ? evs.filter((e) => e.position <= scrub.position) : evs;
  };
  fill(
    byId('timeline'),
    shown.length === 0
      ? h(
          'p',
          { class: 'empty' },
          state.runs.size === 0 ? 'No runs yet: start one with `runledger run -- CMD`.' : 'No run matches the filters.',
        )
      : renderTimeline({
          runs: shown,
          eventsOf,
          now,
          groupBy: state.filters.groupBy,
          selected: state.selected,
          cursor: scrub ? scrub.time : null,
          onSelect: select,
        }),
    all.length > shown.length ? h('p', { class: 'note' }, `showing ${shown.length} of ${all.length} runs; filter to see others`) : null,
  );
  byId('head').textContent = `head #${state.head}`;
  const slider = byId<HTMLInputElement>('scrubber');
  const number = byId<HTMLInputElement>('scrub-position');
  slider.max = number.max = String(Math.max(1, state.head));
  if (!scrub) {
    slider.value = number.value = String(state.head);
    byId('scrub-state').textContent = 'live';
  } else {
    byId('scrub-state').textContent = `as of #${scrub.position} (${new Date(scrub.time).toLocaleTimeString([], { hour12: false })})`;
  }
  byId('live-button').hidden = !scrub;
  document.body.classList.toggle('scrubbing', scrub !== null);
  updateGroupOptions();
}

function updateGroupOptions(): void {
  const select = byId<HTMLSelectElement>('group-by');
  const wanted = ['stack', 'session', 'none', ...labelKeys(state.runs.values()).map((k) => `label:${k}`)];
  const have = [...select.options].map((o) => o.value);
  if (have.join('\n') === wanted.join('\n')) return;
  fill(
    select,
    ...wanted.map((v) =>
      h('option', { value: v, selected: v === state.filters.groupBy }, v.startsWith('label:') ? `label ${v.slice(6)}` : v),
    ),
  );
}

function onLedgerEvent(e: UiLedgerEvent): void {
  if (e.position <= state.head && state.times.has(e.position)) return;
  state.head = Math.max(state.head, e.position);
  state.times.set(e.position, Date.parse(e.time));
  if (e.runId) {
    const list = state.events.get(e.runId) ?? [];
    list.push(e);
    state.events.set(e.runId, list);
    if (e.position > state.listedAt || !state.runs.has(e.runId)) scheduleRefresh(e.runId);
  }
  render();
}

/** Refetch a run after its events settle (a stop is several events in a few ms). */
function scheduleRefresh(runId: string): void {
  if (refreshTimers.has(runId)) return;
  refreshTimers.set(
    runId,
    window.setTimeout(() => {
      refreshTimers.delete(runId);
      void api
        .show(runId)
        .then((res) => {
          state.runs.set(runId, res.run);
          render();
          if (details.current === runId) void details.show(runId);
        })
        .catch((err: unknown) => notify(`refresh failed: ${(err as Error).message}`, true));
    }, 80),
  );
}

function select(runId: string | null): void {
  state.selected = runId;
  if (runId) void details.show(runId).catch((err: unknown) => notify((err as Error).message, true));
  else details.hide();
  render();
}

async function scrubTo(position: number): Promise<void> {
  if (!Number.isFinite(position) || position < 1) return;
  if (position >= state.head) return goLive();
  const res = await api.replay(position);
  const time = state.times.get(res.position) ?? latestTimeAt(res.position, res.runs);
  state.scrub = { position: res.position, runs: new Map(res.runs.map((r) => [r.id, r])), time };
  render();
}

/** The time of a position outside the events the page holds: the latest time the replayed runs mention. */
function latestTimeAt(_position: number, runs: RunView[]): number {
  let t = 0;
  for (const r of runs)
    for (const s of [r.createdAt, r.startedAt, r.endedAt, ...r.attempts.flatMap((a) => [a.startedAt, a.endedAt])])
      if (s) t = Math.max(t, Date.parse(s));
  return t || Date.now();
}

function goLive(): void {
  state.scrub = null;
  render();
}

function notify(message: string, error = false): void {
  const toast = h('div', { class: `toast${error ? ' error' : ''}`, role: error ? 'alert' : 'status' }, message);
  byId('toasts').append(toast);
  setTimeout(() => toast.remove(), error ? 8000 : 4000);
}

function wireControls(): void {
  // 'search' too: Esc in a search field clears it without an 'input' event, and the filter must follow what is shown.
  const bind = (id: string, key: keyof Filters) => {
    const field = byId<HTMLInputElement | HTMLSelectElement>(id);
    const update = () => {
      state.filters[key] = field.value;
      render();
    };
    for (const type of ['input', 'change', 'search']) field.addEventListener(type, update);
  };
  bind('filter-status', 'status');
  bind('filter-name', 'name');
  bind('filter-label', 'label');
  bind('filter-owner', 'owner');
  bind('group-by', 'groupBy');
  byId<HTMLInputElement>('scrubber').addEventListener('change', (e) => void scrubTo(Number((e.target as HTMLInputElement).value)));
  byId<HTMLInputElement>('scrubber').addEventListener('input', (e) => {
    byId<HTMLInputElement>('scrub-position').value = (e.target as HTMLInputElement).value;
  });
  byId<HTMLFormElement>('scrub-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void scrubTo(Number(byId<HTMLInputElement>('scrub-position').value));
  });
  byId('filters').addEventListener('submit', (e) => e.preventDefault());
  byId('live-button').addEventListener('click', goLive);
  byId('verify-button').addEventListener('click', () => void refreshVerify());
  wireKeyboard({ hasSelection: () => Boolean(state.selected), closeDetails: () => select(null), goLive });
}

async function boot(): Promise<void> {
  wireControls();
  const list = await api.list();
  for (const r of list.runs) state.runs.set(r.id, r);
  state.head = state.listedAt = list.position;
  render();
  followLedger(Math.max(1, list.position - HISTORY_EVENTS + 1), onLedgerEvent, (live) => {
    state.live = live;
    const c = byId('connection');
    c.textContent = live ? '● live' : '○ reconnecting…';
    c.className = `connection ${live ? 'up' : 'down'}`;
  });
  void refreshVerify();
}

void boot().catch((err: unknown) => notify(`could not load: ${(err as Error).message}`, true));
