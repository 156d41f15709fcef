/**
 * The selected run: its facts and usage, actions (stop, restart, rerun),
 * attempts, evidence (what reconcile and the tree reaper found), its own
 * timeline, and its logs — a live tail per attempt and stream.
 */
import { api, ApiError, type EventEnvelope, type LogLine, type ShowResponse } from './api.js';
import { byId, fill, h } from './dom.js';
import { ATTEMPT_COLUMNS, attemptCells, runFacts } from './facts.js';
import { isTerminal, RECONCILE_TYPES } from './lanes.js';

const EVIDENCE_TYPES = new Set([...RECONCILE_TYPES, 'ShimLost', 'TreeReaped', 'ReadinessFailed', 'ProcessSpawnFailed']);
const MAX_LOG_LINES = 2000;

export interface DetailsHooks {
  notify(message: string, error?: boolean): void;
  close(): void;
}

export class RunDetails {
  private tail: AbortController | undefined;
  private runId: string | null = null;
  private attempt = 0;
  private stream = 'both';
  /** Follow each new attempt as it starts, unless the user picked an earlier one. */
  private followLatest = true;
  private latest = 0;
  /** Kept across re-renders, so the tail appends to what is on screen. */
  private readonly pre = h('pre', { id: 'log-lines', tabindex: 0, 'aria-label': 'log lines' });

  constructor(private readonly hooks: DetailsHooks) {}

  get current(): string | null {
    return this.runId;
  }

  /** Show `runId` (again, after a change): facts refresh, the log tail keeps running unless the attempt changed. */
  async show(runId: string): Promise<void> {
    const fresh = runId !== this.runId;
    this.runId = runId;
    const [res, events] = await Promise.all([api.show(runId), api.events(runId).catch(() => [] as EventEnvelope[])]);
    if (this.runId !== runId) return;
    const latest = res.run.attempts.length;
    this.latest = latest;
    if (fresh) this.followLatest = true;
    if (fresh || (this.followLatest && this.attempt !== latest)) {
      this.attempt = latest;
      this.startTail();
    }
    this.render(res, events);
  }

  hide(): void {
    this.tail?.abort();
    this.tail = undefined;
    this.runId = null;
    this.attempt = 0;
    fill(byId('details'));
    byId('details').hidden = true;
  }

  private render(res: ShowResponse, events: EventEnvelope[]): void {
    const r = res.run;
    const panel = byId('details');
    panel.hidden = false;
    const facts = runFacts(res);
    const active = !isTerminal(r.status);
    fill(
      panel,
      h(
        'header',
        { class: 'details-head' },
        h('h2', {}, r.name, ' ', h('span', { class: 'short' }, r.shortId)),
        h('button', { class: 'close', type: 'button', 'aria-label': 'close details (Esc)', onclick: () => this.hooks.close() }, '×'),
      ),
      h(
        'div',
        { class: 'actions', role: 'toolbar', 'aria-label': 'actions' },
        h('button', { type: 'button', id: 'action-stop', disabled: !active, onclick: () => this.act('stop', r.id) }, 'Stop'),
        h('button', { type: 'button', id: 'action-restart', disabled: !active, onclick: () => this.act('restart', r.id) }, 'Restart'),
        h('button', { type: 'button', id: 'action-rerun', onclick: () => this.act('rerun', r.id) }, 'Rerun'),
      ),
      h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      attemptsTable(res),
      evidence(events),
      h(
        'details',
        { class: 'run-timeline' },
        h('summary', {}, `timeline (${res.timeline.length} events)`),
        h(
          'ol',
          {},
          ...res.timeline.map((t) =>
            h('li', {}, h('span', { class: 'pos' }, `#${t.position}`), ' ', h('time', {}, t.time.slice(11, 23)), ' ', t.text),
          ),
        ),
      ),
      this.logsBox(r.attempts.map((a) => a.n)),
    );
  }

  private logsBox(attempts: number[]): HTMLElement {
    const attemptSelect = h('select', {
      id: 'log-attempt',
      'aria-label': 'attempt',
      onchange: (e: Event) => this.switchTail(Number((e.target as HTMLSelectElement).value), this.stream),
    });
    for (const n of attempts) attemptSelect.append(h('option', { value: n, selected: n === this.attempt }, `attempt ${n}`));
    const streamSelect = h('select', {
      id: 'log-stream',
      'aria-label': 'stream',
      onchange: (e: Event) => this.switchTail(this.attempt, (e.target as HTMLSelectElement).value),
    });
    for (const s of ['both', 'stdout', 'stderr']) streamSelect.append(h('option', { value: s, selected: s === this.stream }, s));
    const box = h(
      'section',
      { class: 'logs', 'aria-label': 'logs' },
      h('div', { class: 'logs-head' }, h('h3', {}, 'logs'), attemptSelect, streamSelect),
    );
    box.append(this.pre);
    return box;
  }

  private switchTail(attempt: number, stream: string): void {
    this.followLatest = attempt === this.latest;
    this.attempt = attempt;
    this.stream = stream;
    this.startTail();
  }

  private startTail(): void {
    this.tail?.abort();
    const controller = new AbortController();
    this.tail = controller;
    const pre = this.pre;
    pre.replaceChildren();
    const runId = this.runId;
    if (!runId || this.attempt === 0) return;
    void api
      .logs(runId, this.attempt, this.stream, (line) => appendLine(pre, line), controller.signal)
      .catch((err: unknown) => this.hooks.notify(`logs: ${(err as Error).message}`, true));
  }

  private async act(action: 'stop' | 'restart' | 'rerun', runId: string): Promise<void> {
    try {
      if (action === 'rerun') {
        const { run } = await api.rerun(runId);
        this.hooks.notify(`rerun started: ${run.shortId}`);
      } else {
        await api[action](runId);
        this.hooks.notify(`${action} requested`);
      }
    } catch (err) {
      this.hooks.notify(`${action} failed: ${err instanceof ApiError ? `${err.code}: ` : ''}${(err as Error).message}`, true);
    }
  }
}

function appendLine(pre: HTMLElement, l: LogLine): void {
  const stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  pre.append(h('span', { class: `line ${l.stream}` }, l.line + '\n'));
  while (pre.childElementCount > MAX_LOG_LINES) pre.firstElementChild?.remove();
  if (stick) pre.scrollTop = pre.scrollHeight;
}

function attemptsTable(res: ShowResponse): HTMLElement {
  const rows = res.run.attempts.map((a) => h('tr', {}, ...attemptCells(res, a).map((cell) => h('td', {}, cell))));
  return h(
    'table',
    { class: 'attempts' },
    h('caption', {}, 'attempts'),
    h('thead', {}, h('tr', {}, ...ATTEMPT_COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rows),
  );
}

function evidence(events: EventEnvelope[]): HTMLElement | null {
  const found = events.filter((e) => EVIDENCE_TYPES.has(e.type));
  if (found.length === 0) return null;
  return h(
    'section',
    { class: 'evidence', 'aria-label': 'evidence' },
    h('h3', {}, 'evidence'),
    ...found.map((e) =>
      h(
        'details',
        { class: RECONCILE_TYPES.has(e.type) ? 'reconcile' : '' },
        h(
          'summary',
          {},
          `#${e.position} ${e.type}`,
          (e.data as { attempt?: number }).attempt ? ` (attempt ${(e.data as { attempt: number }).attempt})` : '',
        ),
        h('pre', {}, JSON.stringify(e.data, null, 2)),
      ),
    ),
  );
}
