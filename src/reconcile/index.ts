export { reconcile, type ReconcileReport } from './reconcile.js';
export { classifyAttempt, stopNeedsResume, type Finding } from './classify.js';
