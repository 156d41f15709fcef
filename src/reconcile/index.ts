export type { ReconcileReport } from './report.js';
export { classifyAttempt, stopNeedsResume, type Finding } from './classify.js';
