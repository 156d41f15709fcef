/** POST /v1/ui — start (or find) the web UI's listener; answers its URL with the token (`runledger ui`). */
import { RunledgerError } from '../../errors.js';
import type { UiRequest, UiResponse } from '../api.js';
import type { DaemonContext } from '../context.js';
import { badRequest } from '../http/errors.js';
import { route, type Route } from '../http/router.js';
import { objectBody, optBoolean } from '../http/shape.js';

export function uiRoutes(ctx: DaemonContext): Route[] {
  return [
    route('POST', '/v1/ui', async ({ body }) => {
      const b = objectBody(await body(), ['port', 'metricsRunIds']);
      const request: UiRequest = {};
      if (b.port !== undefined) {
        if (!Number.isInteger(b.port) || (b.port as number) < 1 || (b.port as number) > 65535)
          throw badRequest('"port" must be a whole number from 1 to 65535', { field: 'port' });
        request.port = b.port as number;
      }
      const ids = optBoolean(b, 'metricsRunIds');
      if (ids !== undefined) request.metricsRunIds = ids;
      if (!ctx.ui) throw new RunledgerError('RUNTIME_UNAVAILABLE', 'this daemon serves no web UI');
      return (await ctx.ui.ensure(request)) satisfies UiResponse;
    }),
  ];
}
