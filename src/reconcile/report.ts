/** What a reconcile pass found, counted per kind (appended as `ReconcileCompleted.report`). */
export interface ReconcileReport {
  checked: number;
  adopted: number;
  recovered: number;
  stale: number;
  unknown: number;
  resumedStops: number;
}
