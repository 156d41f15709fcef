/** The deterministic simulator: virtual clock, fake machine, faulty disk, and the world tying them together. */
export { SimClock, ClockView, settle } from './sim-clock.js';
export { SimProcessTable, type SimProcess, type ProcessRole } from './process-table.js';
export { SimHost, attemptKey, type SimAttempt, type SignalDelivery } from './sim-host.js';
export { SimRuntime, type SimSession, type IoGate } from './sim-runtime.js';
export { SimDisk } from './faulty-ledger.js';
export { seededIds, seededRandom } from './seeded-ids.js';
export { parseSimScript, SIM_COMMAND, type SimScript } from './script.js';
export { SimWorld, isCode, type CallResult, type CrashMode, type SimWorldOptions } from './world.js';
