/** ps semantics, shared by the ledger backend and replay: active runs unless --all or --status says otherwise. */
import type { ListQuery } from '../daemon/api.js';
import type { RunFilter } from '../projections/queries.js';

export function toRunFilter(q: ListQuery): RunFilter {
  const filter: RunFilter = {};
  if (q.status && q.status.length > 0) filter.status = q.status;
  else if (!q.all) filter.active = true;
  if (q.label) filter.label = q.label;
  if (q.slot !== undefined) filter.slot = q.slot;
  if (q.key !== undefined) filter.key = q.key;
  if (q.batch !== undefined) filter.batchId = q.batch;
  if (q.owner) filter.owner = q.owner;
  if (q.limit !== undefined) filter.limit = q.limit;
  return filter;
}
