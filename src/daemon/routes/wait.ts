/**
 * GET /v1/runs/:id/wait — `for=ready|exit|healthy` (default exit). Answers
 * one NDJSON line `{ run: RunView, verdict }` as soon as the condition is
 * reached or can no longer be (judgeWait), then ends. It watches the
 * supervisor's live projection (one emission per folded event), so a
 * waiter costs no requests and no timers; the caller owns its timeout and
 * simply disconnects. A stream that ends without a line means the daemon
 * is shutting down.
 */
import { filter, type Subscription } from 'rxjs';
import type { RunState } from '../../projections/run-state.js';
import { toRunView } from '../../projections/run-view.js';
import { judgeWait, WAIT_CONDITIONS, type WaitCondition, type WaitVerdict } from '../../projections/wait-condition.js';
import type { DaemonContext } from '../context.js';
import { badRequest } from '../http/errors.js';
import { allowKeys, text } from '../http/query.js';
import { NdjsonWriter } from '../http/reply.js';
import { route, STREAMED, type Route } from '../http/router.js';

export function waitRoutes(ctx: DaemonContext): Route[] {
  return [
    route('GET', '/v1/runs/:id/wait', async ({ params, query, res }) => {
      allowKeys(query, ['for']);
      const condition = (text(query, 'for') ?? 'exit') as WaitCondition;
      if (!WAIT_CONDITIONS.includes(condition)) throw badRequest(`for must be one of ${WAIT_CONDITIONS.join(', ')}`, { parameter: 'for' });
      const run = ctx.supervisor.get(params[0]!);
      const out = new NdjsonWriter(res);
      const stop = () => out.end();
      ctx.openStreams.add(stop);
      try {
        const decided = await decision(ctx, run, condition, out);
        if (decided) await out.write({ run: toRunView(decided.run, ctx.now()), verdict: decided.verdict });
      } finally {
        ctx.openStreams.delete(stop);
        out.end();
      }
      return STREAMED;
    }),
  ];
}

interface Decided {
  run: RunState;
  verdict: WaitVerdict;
}

/** The first state of the run that decides the wait; undefined when the client left or the supervisor closed. */
function decision(ctx: DaemonContext, run: RunState, condition: WaitCondition, out: NdjsonWriter): Promise<Decided | undefined> {
  const decide = (r: RunState): Decided | undefined => {
    const verdict = judgeWait(r, condition);
    return verdict.state === 'pending' ? undefined : { run: r, verdict };
  };
  const now = decide(ctx.supervisor.get(run.id));
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    let sub: Subscription | undefined;
    const finish = (d: Decided | undefined) => {
      sub?.unsubscribe();
      resolve(d);
    };
    sub = ctx.supervisor.runs$.pipe(filter((r) => r.id === run.id)).subscribe({
      next: (r) => {
        const d = decide(r);
        if (d) finish(d);
      },
      complete: () => finish(undefined),
    });
    out.onClose(() => finish(undefined));
  });
}
