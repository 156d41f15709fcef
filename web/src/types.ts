/** The daemon's own shapes, as the page uses them (types only: nothing here reaches the bundle). */
export type { ListResponse, LogLine, ReplayResponse, ShowResponse, StartResponse } from '../../src/daemon/api.js';
export type { AnchoredVerifyResult } from '../../src/anchor/verify-anchored.js';
export type { EventEnvelope } from '../../src/events/envelope.js';
export type { RunView } from '../../src/projections/run-view.js';
export type { UiLedgerEvent } from '../../src/daemon/ui/ledger-sse.js';
