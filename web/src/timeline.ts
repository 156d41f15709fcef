/** The timeline's DOM: an axis, then per group its lanes (label + track of spans, links and markers). */
import { h } from './dom.js';
import { groupRuns } from './filters.js';
import { clockTime } from './format.js';
import { laneOf, rangeOf, type Lane } from './lanes.js';
import type { RunView, UiLedgerEvent } from './api.js';

export interface TimelineInput {
  runs: RunView[];
  eventsOf(runId: string): readonly UiLedgerEvent[];
  now: number;
  groupBy: string;
  selected: string | null;
  /** Set while scrubbing: the moment shown (a vertical cursor is drawn there). */
  cursor: number | null;
  onSelect(runId: string): void;
}

export function renderTimeline(input: TimelineInput): HTMLElement {
  const lanes = new Map(input.runs.map((r) => [r.id, laneOf(r, input.eventsOf(r.id), input.now)]));
  const range = rangeOf([...lanes.values()], input.now);
  const pct = (t: number) => `${(((t - range.from) / (range.to - range.from)) * 100).toFixed(3)}%`;
  const width = (a: number, b: number) => `${Math.max(0.25, ((b - a) / (range.to - range.from)) * 100).toFixed(3)}%`;
  const root = h('div', { class: 'lanes', role: 'list' }, axis(range, pct));
  for (const [group, runs] of groupRuns(input.runs, input.groupBy)) {
    const section = h('section', { class: 'group', 'aria-label': group }, h('h3', { class: 'group-title' }, group));
    for (const run of runs) section.append(laneElement(lanes.get(run.id)!, input, pct, width));
    root.append(section);
  }
  return root;
}

function axis(range: { from: number; to: number }, pct: (t: number) => string): HTMLElement {
  const ticks = h('div', { class: 'ticks' });
  for (let i = 0; i <= 4; i++) {
    const t = range.from + ((range.to - range.from) * i) / 4;
    ticks.append(h('span', { class: 'tick', style: `left:${pct(t)}` }, clockTime(t)));
  }
  return h('div', { class: 'axis', 'aria-hidden': 'true' }, h('div', { class: 'lane-label' }), ticks);
}

function laneElement(lane: Lane, input: TimelineInput, pct: (t: number) => string, width: (a: number, b: number) => string): HTMLElement {
  const r = lane.run;
  const track = h('div', { class: 'track' });
  for (const s of lane.spans)
    track.append(h('div', { class: `span ${s.kind}`, style: `left:${pct(s.start)};width:${width(s.start, s.end)}`, title: s.title }));
  for (const l of lane.links)
    track.append(h('div', { class: 'link', style: `left:${pct(l.from)};width:${width(l.from, l.to)}`, title: l.title }));
  for (const m of lane.markers)
    track.append(
      h('span', { class: `marker m-${m.kind}`, style: `left:${pct(m.at)}`, title: m.title, 'data-position': m.position }, m.label),
    );
  if (input.cursor !== null) track.append(h('div', { class: 'cursor', style: `left:${pct(input.cursor)}` }));
  const selected = input.selected === r.id;
  return h(
    'div',
    {
      class: `lane${selected ? ' selected' : ''}`,
      role: 'listitem button',
      tabindex: 0,
      'data-run-id': r.id,
      'data-status': r.status,
      'aria-label': `${r.name} ${r.shortId} ${r.status}`,
      'aria-pressed': selected ? 'true' : 'false',
      onclick: () => input.onSelect(r.id),
      onkeydown: (e: Event) => {
        const k = (e as KeyboardEvent).key;
        if (k === 'Enter' || k === ' ') {
          e.preventDefault();
          input.onSelect(r.id);
        }
      },
    },
    h(
      'div',
      { class: 'lane-label' },
      h('span', { class: 'name', title: r.name }, r.name),
      h('span', { class: 'short' }, r.shortId),
      h('span', { class: `badge status-${r.status}` }, r.ready && r.status === 'running' ? 'running ✓' : r.status),
    ),
    track,
  );
}
