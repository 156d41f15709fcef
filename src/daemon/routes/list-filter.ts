/** GET /v1/runs and /v1/replay filters: the query string (see list-query.ts) to a checked RunFilter. */
import { RUN_STATUSES } from '../../events/constants.js';
import type { OwnerScope, RunStatus } from '../../events/schemas.js';
import type { RunFilter } from '../../projections/queries.js';
import { badRequest } from '../http/errors.js';
import { flag, integer, list, pairs, text, type Query } from '../http/query.js';
import { OWNER_QUERY_KEYS } from '../list-query.js';

/** Without `all` or `status`, only active runs are listed, like `ps`. */
export function parseListFilter(q: Query): RunFilter {
  const filter: RunFilter = {};
  const statuses = list(q, 'status');
  for (const s of statuses) {
    if (!(RUN_STATUSES as readonly string[]).includes(s))
      throw badRequest(`unknown status "${s}" (expected one of ${RUN_STATUSES.join(', ')})`, { parameter: 'status' });
  }
  if (statuses.length > 0) filter.status = statuses as RunStatus[];
  else if (!flag(q, 'all')) filter.active = true;
  const label = pairs(q, 'label');
  if (label) filter.label = label;
  const slot = text(q, 'slot');
  if (slot !== undefined) filter.slot = slot;
  const key = text(q, 'key');
  if (key !== undefined) filter.key = key;
  const batch = text(q, 'batch');
  if (batch !== undefined) filter.batchId = batch;
  const owner: Partial<OwnerScope> = {};
  for (const k of OWNER_QUERY_KEYS) {
    const v = text(q, k);
    if (v !== undefined) owner[k] = v;
  }
  if (Object.keys(owner).length > 0) filter.owner = owner;
  const limit = integer(q, 'limit', 1);
  if (limit !== undefined) filter.limit = limit;
  return filter;
}
